import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { Prisma } from '../../server/src/generated/prisma/client.js';
import type {
  ConversationKind,
  FieldVisibility,
  GroupRole,
  GroupVisibility,
} from '../../server/src/generated/prisma/enums.js';
import {
  audiencesOf,
  canViewConversation,
  CONVERSATION_KINDS,
  conversationAccess,
  usersWithAccess,
  visibleConversationsWhere,
  visiblePairsSql,
} from '../../server/src/modules/chat/chat.policy.js';
import {
  can,
  GROUP_SIGHT,
  GROUP_VISIBILITIES,
  HIDDEN_GROUP_SIGHT,
  groupInsidesVisible,
  groupInsidesVisibleSql,
  groupsWhereViewerCan,
  maySee,
  PERMISSIONS,
  seenGroupSql,
  seenGroupsWhere,
  viewerRole,
  visibleGroupsWhere,
  type GroupAction,
  type GroupSight,
} from '../../server/src/modules/groups/groups.policy.js';
import {
  audienceOf,
  canSeeField,
  FIELD_VISIBILITIES,
  fieldVisibleSql,
  fieldVisibleToEveryMemberWhere,
  isModeratedField,
  PROFILE_FIELDS,
  PROFILE_STANDINGS,
  type ProfileStanding,
  personSeenWhere,
  seesStanding,
  sharedWithViewerSql,
  sharesGroupWithWhere,
  STANDING_SIGHT,
  standingSeenSql,
  standingSeenWhere,
  type StandingViewer,
} from '../../server/src/modules/people/people.policy.js';
import { loadProfileRows, visibleProfile } from '../../server/src/modules/people/profile.loader.js';
import { searchPeople } from '../../server/src/modules/people/people.search.js';
// Importing the groups module registers its member-list rule into the directory (as the server does).
import '../../server/src/modules/groups/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Where a permission rule also exists as a Prisma filter or an SQL fragment (the policy files
// make them from one table, but the SQL is still text a person can get wrong), every form is
// evaluated here against a real database of this run's back-end, for every combination of the
// rule's inputs, and must give the JS check's answer. Breaking any one twin fails this file.

let database: TestDatabase;
let handle: Database;
let db: Db;

async function user(name: string): Promise<string> {
  const row = await db.user.create({ data: { email: `${randomUUID()}@policy.test`, passwordHash: 'x', name } });
  return row.id;
}

/** Everyone who can stand towards a group: no relation, each role, invited, banned, asking. */
const RELATIONS = [
  'signedOut',
  'none',
  'MEMBER',
  'MODERATOR',
  'ADMIN',
  'OWNER',
  'invited',
  'banned',
  'pending',
] as const;
type Relation = (typeof RELATIONS)[number];
const ROLES = ['MEMBER', 'MODERATOR', 'ADMIN', 'OWNER'] as const satisfies readonly GroupRole[];

const viewers = new Map<Relation, string | null>();
const groups = new Map<GroupVisibility, string>();
const events = new Map<GroupVisibility, string>();
/** The same groups once more, hidden by the instance's admins (groups.policy HIDDEN_GROUP_SIGHT). */
const hiddenGroups = new Map<GroupVisibility, string>();
const hiddenEvents = new Map<GroupVisibility, string>();
const HIDDEN = [false, true] as const;
const groupOf = (visibility: GroupVisibility, hidden: boolean) => (hidden ? hiddenGroups : groups).get(visibility)!;
const eventOf = (visibility: GroupVisibility, hidden: boolean) => (hidden ? hiddenEvents : events).get(visibility)!;

/** Per group visibility: its #channel; plus one conversation of every other kind. */
const channels = new Map<GroupVisibility, string>();
const others = new Map<ConversationKind, string>();
let participant: string;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase(loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.env }));
  db = handle.prisma;
  viewers.set('signedOut', null);
  for (const relation of RELATIONS) if (relation !== 'signedOut') viewers.set(relation, await user(relation));
  const id = (relation: Relation) => viewers.get(relation)!;
  for (const [visibility, hidden] of GROUP_VISIBILITIES.flatMap((v) => HIDDEN.map((h) => [v, h] as const))) {
    const group = await db.group.create({
      data: {
        slug: `p-${randomUUID()}`,
        name: `${visibility} group${hidden ? ' (hidden)' : ''}`,
        kind: 'COMMUNITY',
        visibility,
        hiddenAt: hidden ? new Date() : null,
        memberships: { create: ROLES.map((role) => ({ userId: id(role), role })) },
      },
    });
    (hidden ? hiddenGroups : groups).set(visibility, group.id);
    await db.groupInvite.create({
      data: { groupId: group.id, createdById: id('OWNER'), inviteeId: id('invited'), maxUses: 1 },
    });
    await db.groupBan.create({ data: { groupId: group.id, userId: id('banned'), bannedById: id('OWNER') } });
    await db.joinRequest.create({ data: { groupId: group.id, userId: id('pending') } });
    const event = await db.event.create({
      data: {
        groupId: group.id,
        title: 'Meetup',
        startsAt: new Date('2030-01-01T18:00:00Z'),
        endsAt: new Date('2030-01-01T20:00:00Z'),
        timeZone: 'UTC',
      },
    });
    (hidden ? hiddenEvents : events).set(visibility, event.id);
    if (hidden) continue;
    const channel = await db.conversation.create({ data: { kind: 'CHANNEL', groupId: group.id, name: 'general' } });
    channels.set(visibility, channel.id);
  }
  participant = await user('participant');
  for (const kind of CONVERSATION_KINDS.filter((k) => k !== 'CHANNEL')) {
    // A MEMBER of every group is not a participant: group membership must not leak into these.
    const conversation = await db.conversation.create({
      data: { kind, participants: { create: [{ userId: participant }, { userId: id('OWNER') }] } },
    });
    others.set(kind, conversation.id);
  }
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

async function sqlAnswer(expression: Prisma.Sql, from: Prisma.Sql = Prisma.empty): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ ok: boolean }>>`SELECT (${expression}) AS ok ${from}`;
  return rows[0]?.ok === true;
}

describe('groups.policy: who sees a group and its insides', () => {
  it('gives the same answer in JS, Prisma and SQL for every visibility, hiding, viewer and sight', async () => {
    const checked: string[] = [];
    for (const [visibility, hidden] of GROUP_VISIBILITIES.flatMap((v) => HIDDEN.map((h) => [v, h] as const))) {
      const groupId = groupOf(visibility, hidden);
      const hiddenAt = hidden ? new Date() : null;
      for (const relation of RELATIONS) {
        const viewerId = viewers.get(relation)!;
        // The facts as the server loads them: the viewer's role (invites, bans, requests give none).
        const role = await viewerRole(db, groupId, viewerId);
        for (const what of Object.keys(GROUP_SIGHT) as GroupSight[]) {
          const js = maySee(what, { visibility, hiddenAt }, { signedIn: viewerId !== null, role });
          const prisma = (await db.group.count({ where: { id: groupId, AND: [seenGroupsWhere(what, viewerId)] } })) > 0;
          const sql = await sqlAnswer(
            seenGroupSql(what, 'g', viewerId),
            Prisma.sql`FROM "Group" g WHERE g."id" = ${groupId}::uuid`,
          );
          const label = `${what} of a ${hidden ? 'hidden ' : ''}${visibility} group for ${relation}`;
          expect({ label, prisma, sql }).toEqual({ label, prisma: js, sql: js });
          if (what === 'insides') {
            expect({ label, loaded: await groupInsidesVisible(db, groupId, viewerId) }).toEqual({ label, loaded: js });
            if (viewerId) {
              expect({ label, byId: await sqlAnswer(groupInsidesVisibleSql(groupId, viewerId)) }).toEqual({
                label,
                byId: js,
              });
            }
          }
          checked.push(label);
        }
        // An event exists for a viewer exactly when its group does.
        const event = await db.event.count({
          where: { id: eventOf(visibility, hidden), group: visibleGroupsWhere(viewerId) },
        });
        expect({ relation, visibility, hidden, event: event > 0 }).toEqual({
          relation,
          visibility,
          hidden,
          event: maySee('group', { visibility, hiddenAt }, { signedIn: viewerId !== null, role }),
        });
      }
    }
    expect(checked).toHaveLength(
      GROUP_VISIBILITIES.length * HIDDEN.length * RELATIONS.length * Object.keys(GROUP_SIGHT).length,
    );
  });

  it('keeps a group the admins hid for its members alone, whatever its visibility (the written rule)', () => {
    expect(HIDDEN_GROUP_SIGHT).toEqual({ group: 'members', insides: 'members' });
    const hiddenAt = new Date();
    for (const visibility of GROUP_VISIBILITIES) {
      for (const what of Object.keys(GROUP_SIGHT) as GroupSight[]) {
        for (const relation of ['signedOut', 'none', 'invited', 'banned', 'pending'] as const) {
          const viewer = { signedIn: relation !== 'signedOut', role: null };
          expect({ what, visibility, relation, sees: maySee(what, { visibility, hiddenAt }, viewer) }).toEqual({
            what,
            visibility,
            relation,
            sees: false,
          });
        }
        for (const role of ROLES) expect(maySee(what, { visibility, hiddenAt }, { signedIn: true, role })).toBe(true);
      }
    }
  });

  it('hides SECRET groups from everyone but their members, and PRIVATE insides likewise (the written rule)', async () => {
    const sees = (what: GroupSight, visibility: GroupVisibility, relation: Relation) =>
      maySee(
        what,
        { visibility, hiddenAt: null },
        {
          signedIn: relation !== 'signedOut',
          role: (ROLES as readonly string[]).includes(relation) ? (relation as GroupRole) : null,
        },
      );
    for (const relation of ['signedOut', 'none', 'invited', 'banned', 'pending'] as const) {
      expect(sees('group', 'SECRET', relation)).toBe(false);
      expect(sees('insides', 'PRIVATE', relation)).toBe(false);
      expect(sees('group', 'PRIVATE', relation)).toBe(relation !== 'signedOut');
      expect(sees('insides', 'PUBLIC', relation)).toBe(relation !== 'signedOut');
    }
    for (const role of ROLES) expect(sees('insides', 'SECRET', role)).toBe(true);
  });

  it("finds a group's members in the directory exactly where its member list is visible", async () => {
    for (const [visibility, hidden] of GROUP_VISIBILITIES.flatMap((v) => HIDDEN.map((h) => [v, h] as const))) {
      const groupId = groupOf(visibility, hidden);
      for (const relation of RELATIONS) {
        const viewerId = viewers.get(relation);
        if (!viewerId) continue; // the directory is for signed-in members
        const found = await searchPeople(db, viewerId, { groupId, groupAsked: true }, { first: 20 });
        const expected = maySee(
          'insides',
          { visibility, hiddenAt: hidden ? new Date() : null },
          { signedIn: true, role: await viewerRole(db, groupId, viewerId) },
        );
        expect({ visibility, hidden, relation, found: found.hits.length > 0 }).toEqual({
          visibility,
          hidden,
          relation,
          found: expected,
        });
      }
    }
  });

  it('filters by role exactly as the permission matrix says, for every action', async () => {
    const actions: GroupAction[] = [...new Set(Object.values(PERMISSIONS).flatMap((set) => [...set]))];
    for (const action of actions) {
      for (const relation of RELATIONS) {
        const viewerId = viewers.get(relation)!;
        const groupId = groups.get('PRIVATE')!;
        const role = await viewerRole(db, groupId, viewerId);
        const prisma =
          (await db.group.count({ where: { id: groupId, ...groupsWhereViewerCan(action, viewerId) } })) > 0;
        expect({ action, relation, prisma }).toEqual({ action, relation, prisma: can(role, action) });
      }
    }
  });
});

describe('chat.policy: who sees a conversation', () => {
  it('gives the same answer in JS, Prisma and every SQL form for every kind and viewer', async () => {
    const conversations = [
      ...[...channels].map(([visibility, id]) => ({ id, label: `#general of the ${visibility} group` })),
      ...[...others].map(([kind, id]) => ({ id, label: kind })),
    ];
    const everyone: Array<[string, string | null]> = [...viewers, ['participant', participant]];
    let checked = 0;
    for (const { id, label } of conversations) {
      const conversation = await db.conversation.findUniqueOrThrow({
        where: { id },
        select: { id: true, kind: true, groupId: true },
      });
      for (const [who, viewerId] of everyone) {
        // The facts, loaded plainly.
        const isGroupMember =
          viewerId !== null &&
          conversation.groupId !== null &&
          (await db.membership.count({ where: { groupId: conversation.groupId, userId: viewerId } })) > 0;
        const isParticipant =
          viewerId !== null &&
          (await db.conversationParticipant.count({ where: { conversationId: id, userId: viewerId } })) > 0;
        const js = canViewConversation(conversation, { signedIn: viewerId !== null, isGroupMember, isParticipant });
        const prisma = (await db.conversation.count({ where: { id, AND: [visibleConversationsWhere(viewerId)] } })) > 0;
        const answers: Record<string, boolean> = { prisma };
        if (viewerId) {
          answers.conversationAccess = (await conversationAccess(db, id, viewerId)) !== null;
          answers.usersWithAccess = (await usersWithAccess(db, conversation, [viewerId])).has(viewerId);
          answers.audiencesOf = (await audiencesOf(db, [id], [viewerId])).length > 0;
          const pairs = await db.$queryRaw<Array<{ id: string }>>`
            SELECT v."id" FROM (${visiblePairsSql(Prisma.sql`${[viewerId]}::uuid[]`)}) v WHERE v."id" = ${id}::uuid`;
          answers.visiblePairsSql = pairs.length > 0;
        }
        const expected = Object.fromEntries(Object.keys(answers).map((key) => [key, js]));
        expect({ conversation: label, who, ...answers }).toEqual({ conversation: label, who, ...expected });
        checked += 1;
      }
    }
    expect(checked).toBe(conversations.length * everyone.length);
  });
});

describe('people.policy: who sees a profile field', () => {
  it('gives the same answer in JS, Prisma and SQL for every visibility and audience', async () => {
    const owners = new Map<FieldVisibility, string>();
    for (const visibility of FIELD_VISIBILITIES) {
      const id = await user(`owner ${visibility}`);
      await db.user.update({
        where: { id },
        data: {
          // Every field filled in, so "hidden" (null) and "empty" cannot be confused.
          headline: 'Headline',
          location: 'Lisbon',
          timeZone: 'Europe/Lisbon',
          ...Object.fromEntries(PROFILE_FIELDS.map((field) => [`${field}Visibility`, visibility])),
        },
      });
      owners.set(visibility, id);
    }
    const sharer = await user('sharer');
    const stranger = await user('stranger');
    await db.group.create({
      data: {
        slug: `p-${randomUUID()}`,
        name: 'shared',
        kind: 'COMMUNITY',
        visibility: 'SECRET',
        memberships: { create: [sharer, ...owners.values()].map((userId) => ({ userId })) },
      },
    });
    let checked = 0;
    for (const [visibility, ownerId] of owners) {
      for (const viewerId of [ownerId, sharer, stranger, null]) {
        const [row] = await loadProfileRows(db, viewerId, [ownerId]);
        if (viewerId) {
          // "Shares a group" as SQL (what the loader read) and as a Prisma filter: the same people.
          const byPrisma = (await db.user.count({ where: { id: ownerId, ...sharesGroupWithWhere(viewerId) } })) > 0;
          expect({ ownerId, viewerId, shares: row!.sharesGroup }).toEqual({ ownerId, viewerId, shares: byPrisma });
        }
        const audience = audienceOf(viewerId, ownerId, row!.sharesGroup);
        const masked = visibleProfile(row!, viewerId, false);
        for (const field of PROFILE_FIELDS) {
          const js = canSeeField(visibility, audience);
          const answers: Record<string, boolean> = { loader: masked[field] !== null };
          if (viewerId) {
            const rows = await db.$queryRaw<Array<{ ok: boolean }>>`
              WITH shared AS (${sharedWithViewerSql(viewerId)})
              SELECT ${fieldVisibleSql(field, viewerId, false)} AS ok FROM "User" u WHERE u."id" = ${ownerId}::uuid`;
            answers.sql = rows[0]?.ok === true;
          }
          if (audience === 'MEMBER') {
            answers.prisma =
              (await db.user.count({ where: { id: ownerId, ...fieldVisibleToEveryMemberWhere(field) } })) > 0;
          }
          const expected = Object.fromEntries(Object.keys(answers).map((key) => [key, js]));
          expect({ visibility, audience, field, ...answers }).toEqual({ visibility, audience, field, ...expected });
          checked += 1;
        }
      }
    }
    expect(checked).toBe(FIELD_VISIBILITIES.length * 4 * PROFILE_FIELDS.length);
  });
});

describe("people.policy: what the admins' hiding and suspension hide", () => {
  it('gives the same answer in JS, the loader, Prisma, SQL and the directory for every standing and viewer', async () => {
    const token = randomUUID().replaceAll('-', '');
    const owners = new Map<ProfileStanding, string>();
    for (const standing of PROFILE_STANDINGS) {
      const id = await user(`standing ${standing.toLowerCase()} ${token}`);
      await db.user.update({
        where: { id },
        data: {
          headline: 'Headline',
          bio: 'Bio',
          location: 'Lisbon',
          links: { create: [{ label: 'Site', url: 'https://example.com', position: 0 }] },
          skills: {
            create: [
              {
                level: 'EXPERT',
                skill: {
                  create: { name: `Skill ${token} ${standing}`, slug: `skill-${token}-${standing.toLowerCase()}` },
                },
              },
            ],
          },
          suspendedAt: standing === 'SUSPENDED' ? new Date() : null,
          profileHiddenAt: standing === 'HIDDEN' ? new Date() : null,
        },
      });
      owners.set(standing, id);
    }
    const other = await user('standing other');
    const admin = await user('standing admin');
    // Whether a viewer is an admin is safety's rule (a verified address in ADMIN_EMAILS): here a flag.
    const kinds: Array<{
      who: string;
      viewerId: string | null;
      isAdmin: boolean;
      kind: (owner: string) => StandingViewer;
    }> = [
      { who: 'signed out', viewerId: null, isAdmin: false, kind: () => 'OTHER' },
      { who: 'another member', viewerId: other, isAdmin: false, kind: () => 'OTHER' },
      { who: 'an admin', viewerId: admin, isAdmin: true, kind: () => 'ADMIN' },
    ];
    let checked = 0;
    for (const [standing, ownerId] of owners) {
      const viewersOfThis = [
        ...kinds,
        { who: 'the member', viewerId: ownerId, isAdmin: false, kind: () => 'OWNER' as const },
      ];
      for (const { who, viewerId, isAdmin, kind } of viewersOfThis) {
        const viewer = kind(ownerId);
        const signedIn = viewerId !== null;
        // The member at all: the Person node's filter, the general filter, SQL and the directory.
        const person = signedIn && seesStanding('person', standing, viewer);
        const personAnswers: Record<string, boolean> = {};
        if (viewerId) {
          personAnswers.node = (await db.user.count({ where: { id: ownerId, ...personSeenWhere(viewerId) } })) > 0;
          personAnswers.prisma =
            (await db.user.count({ where: { id: ownerId, ...standingSeenWhere('person', viewerId, isAdmin) } })) > 0;
          personAnswers.sql = await sqlAnswer(
            standingSeenSql('person', viewerId, isAdmin),
            Prisma.sql`FROM "User" u WHERE u."id" = ${ownerId}::uuid`,
          );
          const found = await searchPeople(db, viewerId, { text: token }, { first: 20 }, { viewerIsAdmin: isAdmin });
          personAnswers.directory = found.hits.some((hit) => hit.row.id === ownerId);
        }
        const expectedPerson = Object.fromEntries(Object.keys(personAnswers).map((key) => [key, person]));
        expect({ standing, who, ...personAnswers }).toEqual({ standing, who, ...expectedPerson });

        // Each field: the loader (JS), the SQL of directory search, and what every member sees (Prisma).
        const [row] = await loadProfileRows(db, viewerId, [ownerId]);
        const masked = visibleProfile(row!, viewerId, isAdmin);
        const audience = audienceOf(viewerId, ownerId, row!.sharesGroup);
        for (const field of PROFILE_FIELDS) {
          const js =
            canSeeField('MEMBERS', audience) && (!isModeratedField(field) || seesStanding('words', standing, viewer));
          const answers: Record<string, boolean> = { loader: masked[field] !== null };
          if (viewerId) {
            const rows = await db.$queryRaw<Array<{ ok: boolean }>>`
              WITH shared AS (${sharedWithViewerSql(viewerId)})
              SELECT ${fieldVisibleSql(field, viewerId, isAdmin)} AS ok FROM "User" u WHERE u."id" = ${ownerId}::uuid`;
            answers.sql = rows[0]?.ok === true;
          }
          if (viewer === 'OTHER' && viewerId) {
            answers.prisma =
              (await db.user.count({ where: { id: ownerId, ...fieldVisibleToEveryMemberWhere(field) } })) > 0;
          }
          const expected = Object.fromEntries(Object.keys(answers).map((key) => [key, js]));
          expect({ standing, who, field, ...answers }).toEqual({ standing, who, field, ...expected });
          checked += 1;
        }
        // The standing itself is told to the member and the admins only.
        const told = signedIn && seesStanding('told', standing, viewer) ? standing : null;
        expect({ standing, who, told: masked.standing }).toEqual({ standing, who, told });
      }
    }
    expect(checked).toBe(PROFILE_STANDINGS.length * 4 * PROFILE_FIELDS.length);
  });

  it("hides a suspended member from everyone and a hidden profile's words from all but the member and admins (the written rule)", () => {
    expect(STANDING_SIGHT.person.SUSPENDED).toEqual([]);
    for (const viewer of ['OTHER', 'OWNER', 'ADMIN'] as const) {
      expect(seesStanding('person', 'HIDDEN', viewer)).toBe(true);
      expect(seesStanding('words', 'HIDDEN', viewer)).toBe(viewer !== 'OTHER');
      expect(seesStanding('words', 'ACTIVE', viewer)).toBe(true);
    }
  });
});
