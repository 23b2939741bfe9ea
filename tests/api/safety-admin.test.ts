import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db.js';
import { hashPassword } from '../../server/src/modules/accounts/passwords.js';
import { hashSignUpToken } from '../../server/src/modules/accounts/sign-up.js';
import { type ChatMember, chatMember, chatMembers, memberSocket } from '../support/chat.js';
import { gql, SIGN_IN, uniqueEmail } from '../support/graphql.js';
import { createGroup, mutate, userIdOf } from '../support/groups.js';
import {
  adminAddress,
  fileReport,
  globalId,
  moderationLog,
  notices,
  queue,
  type Report,
  resolve,
  unhide,
  unsuspend,
  verifyAddress,
} from '../support/safety.js';
import { COMPLETE_SIGN_UP, createMemberIn } from '../support/sign-up.js';
import { startServer, type TestServer } from '../support/server.js';

// The instance admins' actions on reports about profiles and groups (modules/safety): suspend a
// member from the instance, hide a profile, hide a group; lift each again; only admins may, and
// every action is in the moderation log. Who sees what afterwards is people.policy STANDING_SIGHT
// and groups.policy HIDDEN_GROUP_SIGHT (their SQL and Prisma twins: policy-twins.test.ts).

let server: TestServer;
let url: string;
let db: Db;
const ADMIN_EMAIL = adminAddress();
const OTHER_ADMIN_EMAIL = adminAddress();
let admin: ChatMember;

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_EMAILS: `${ADMIN_EMAIL}, ${OTHER_ADMIN_EMAIL}` } });
  url = server.graphqlUrl;
  db = server.app.services.db;
  admin = await adminMember('Ada Admin', ADMIN_EMAIL);
});
afterAll(async () => {
  await server?.stop();
});

/** A member whose verified address is in ADMIN_EMAILS. */
async function adminMember(name: string, email: string): Promise<ChatMember> {
  const member = { ...(await chatMember(url, name)), email };
  await db.user.update({ where: { id: userIdOf(member.id) }, data: { email } });
  await verifyAddress(server, member);
  return member;
}

function openReport(result: { reports: Report[] } | { code: string }, id: string): Report {
  if (!('reports' in result)) throw new Error(`queue refused: ${result.code}`);
  const report = result.reports.find((candidate) => candidate.id === id);
  if (!report) throw new Error(`report ${id} is not in the queue`);
  return report;
}

async function profileReport(reporter: ChatMember, target: ChatMember, reason = 'Not a real person') {
  const filed = await fileReport(url, reporter, target.personId, reason);
  expect(filed.__typename).toBe('ReportPayload');
  return filed.report.id as string;
}

const PERSON = /* GraphQL */ `query P($id: ID!) {
  person(id: $id) { id name headline bio location standing skills { skill { name } } links { url } }
}`;

interface PersonSeen {
  id: string;
  name: string;
  headline: string | null;
  bio: string | null;
  location: string | null;
  standing: string | null;
  skills: Array<{ skill: { name: string } }> | null;
  links: Array<{ url: string }> | null;
}

async function personAs(who: ChatMember, personId: string): Promise<PersonSeen | null> {
  const response = await gql(url, PERSON, { id: personId }, { token: who.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.person as PersonSeen | null;
}

async function nodeAs(who: ChatMember | null, id: string): Promise<{ id: string } | null> {
  const response = await gql(
    url,
    'query N($id: ID!) { node(id: $id) { id } }',
    { id },
    who ? { token: who.token } : {},
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.node;
}

/** The ids the directory finds for `who`: by words, or the members of a group. */
async function directory(who: ChatMember, filter: { text?: string; groupId?: string }): Promise<string[]> {
  const response = await gql(
    url,
    'query D($filter: PeopleFilter) { people(filter: $filter, first: 50) { edges { node { id } } } }',
    { filter },
    { token: who.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return (response.body.data!.people.edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id);
}

async function signIn(email: string, password: string) {
  const response = await gql(url, SIGN_IN, { input: { email, password } });
  return { status: response.status, cookie: response.headers.get('set-cookie'), result: response.body.data?.signIn };
}

async function viewerOf(token: string): Promise<unknown> {
  return (await gql(url, '{ viewer { id } }', {}, { token })).body.data?.viewer ?? null;
}

/** A socket of `who`, connected, with its close code and the session-revoked event it is told. */
async function liveSocket(who: ChatMember) {
  const client: Client = memberSocket(server.wsUrl, who);
  const closed = new Promise<number>((done) => client.on('closed', (event) => done((event as CloseEvent).code)));
  const revoked = new Promise<unknown>((done) => {
    client.subscribe(
      { query: 'subscription { viewerSessionRevoked { reason } }' },
      { next: done, error: () => {}, complete: () => {} },
    );
  });
  await new Promise((done) => client.on('connected', done));
  // Give the subscription a moment to register on the server.
  await new Promise((done) => setTimeout(done, 100));
  return { client, closed, revoked };
}

describe('suspending a member from the instance', () => {
  it('ends every session and live socket at once, refuses sign-in like a wrong password, hides the profile; unsuspending restores', async () => {
    const [reporter, target] = await chatMembers(url, ['Rae Reporter', 'Sol Suspended']);
    const laptop = await signIn(target!.email, target!.password);
    expect(laptop.result.__typename).toBe('AuthPayload');
    const socket = await liveSocket(target!);
    expect(await directory(reporter!, { text: 'Sol Suspended' })).toContain(target!.personId);

    const reportId = await profileReport(reporter!, target!);
    const queued = openReport(await queue(url, admin), reportId);
    expect(queued.availableActions).toEqual(['HIDE', 'WARN', 'SUSPEND', 'DISMISS']);
    const done = await resolve(url, admin, reportId, 'SUSPEND', 'A bot account');
    expect(done.report).toMatchObject({ status: 'RESOLVED', outcome: 'SUSPEND', availableActions: [] });

    // Every session ends, the open socket is told and closed as at a sign-out.
    expect(await socket.revoked).toEqual({ data: { viewerSessionRevoked: { reason: 'SIGNED_OUT' } } });
    expect(await socket.closed).toBe(4401);
    await socket.client.dispose();
    expect(await viewerOf(target!.token)).toBeNull();
    expect(await viewerOf(laptop.result.token)).toBeNull();
    expect(await db.session.count({ where: { userId: userIdOf(target!.id), revokedAt: null } })).toBe(0);

    // Signing in with the right password answers exactly as a wrong password does: no account is revealed.
    const right = await signIn(target!.email, target!.password);
    const wrong = await signIn(target!.email, 'not the password at all');
    expect(right.result).toEqual({
      __typename: 'InvalidCredentialsError',
      code: 'INVALID_CREDENTIALS',
      message: expect.any(String),
    });
    expect(right).toEqual(wrong);
    expect(right.cookie).toBeNull();

    // The profile is hidden from everyone, the admins included: person(id), node(id) and the directory.
    for (const who of [reporter!, admin]) {
      expect(await personAs(who, target!.personId)).toBeNull();
      expect(await nodeAs(who, target!.personId)).toBeNull();
      expect(await directory(who, { text: 'Sol Suspended' })).not.toContain(target!.personId);
    }
    expect((await notices(url, reporter!)).map((n) => n.text)).toContain(
      'Your report about a profile was reviewed: the member was suspended.',
    );

    // The log keeps it, and offers the admins to lift it from that entry.
    const log = await moderationLog(url, admin);
    const entry = 'entries' in log ? log.entries.find((candidate) => candidate.report?.id === reportId) : undefined;
    expect(entry).toMatchObject({
      action: 'SUSPEND',
      subject: 'PROFILE',
      subjectId: target!.personId,
      note: 'A bot account',
      actor: { id: admin.personId },
      target: { id: target!.personId },
      group: null,
      undoAction: 'UNSUSPEND',
    });

    const lifted = await unsuspend(url, admin, target!.personId, 'Verified as a person');
    expect(lifted.entry).toMatchObject({
      action: 'UNSUSPEND',
      subject: 'PROFILE',
      subjectId: target!.personId,
      note: 'Verified as a person',
      actor: { id: admin.personId },
      target: { id: target!.personId },
      report: null,
    });
    expect((await unsuspend(url, admin, target!.personId)).code).toBe('NOT_IN_FORCE');
    const back = await signIn(target!.email, target!.password);
    expect(back.result.__typename).toBe('AuthPayload');
    expect(await viewerOf(back.result.token)).toEqual({ id: target!.id });
    expect(await personAs(reporter!, target!.personId)).toMatchObject({ id: target!.personId, standing: null });
    expect(await directory(reporter!, { text: 'Sol Suspended' })).toContain(target!.personId);
    const after = await moderationLog(url, admin);
    const actions = 'entries' in after ? after.entries.filter((e) => e.target?.id === target!.personId) : [];
    expect(actions.map((e) => [e.action, e.undoAction])).toEqual([
      ['UNSUSPEND', null],
      ['SUSPEND', null],
    ]);
  });

  it("refuses to finish a sign-up for a suspended member's address with the answer of a wrong password", async () => {
    const email = uniqueEmail('suspended-signup');
    const password = 'long enough password';
    // A sign-up link issued for the address before its account existed (another link finished first).
    const token = randomUUID();
    await db.pendingSignUp.create({
      data: {
        email,
        name: 'Late Link',
        passwordHash: await hashPassword(password),
        tokenHash: hashSignUpToken(token),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const member = await createMemberIn(db, { email, password, name: 'Late Link' });
    await db.user.update({ where: { id: userIdOf(member.id) }, data: { suspendedAt: new Date() } });
    const complete = async (attempt: string) => {
      const response = await gql(url, COMPLETE_SIGN_UP, { input: { token, password: attempt } });
      return {
        status: response.status,
        cookie: response.headers.get('set-cookie'),
        result: response.body.data?.completeSignUp,
      };
    };
    const right = await complete(password);
    expect(right.result).toMatchObject({ __typename: 'IncorrectPasswordError', field: 'password' });
    expect(right).toEqual(await complete('not the password chosen'));
    expect(await db.session.count({ where: { userId: userIdOf(member.id), revokedAt: null } })).toBe(1);
  });

  it('never suspends an instance admin', async () => {
    const reporter = await chatMember(url, 'Admin Reporter');
    const otherAdmin = await adminMember('Oli Other Admin', OTHER_ADMIN_EMAIL);
    const reportId = await profileReport(reporter, otherAdmin, 'Abusing their power');
    const refused = await resolve(url, admin, reportId, 'SUSPEND');
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'ACTION_NOT_AVAILABLE' });
    expect(await viewerOf(otherAdmin.token)).toEqual({ id: otherAdmin.id });
    expect(openReport(await queue(url, admin), reportId).status).toBe('OPEN');
  });
});

describe('hiding a profile', () => {
  it('hides its headline, bio, skills and links from all but the member and admins, who are told; unhiding restores', async () => {
    const [reporter, target] = await chatMembers(url, ['Hal Reporter', 'Pia Profile']);
    const word = `zq${randomUUID()
      .slice(0, 8)
      .replace(/[^a-z0-9]/g, 'x')}`;
    await db.user.update({
      where: { id: userIdOf(target!.id) },
      data: {
        headline: `Selling ${word} followers`,
        bio: 'Click my links',
        location: 'Porto',
        links: { create: [{ label: 'Shop', url: 'https://spam.example', position: 0 }] },
        skills: { create: [{ level: 'EXPERT', skill: { create: { name: `Spam ${word}`, slug: `spam-${word}` } } }] },
      },
    });
    const skillsQuery = 'query S($prefix: String) { skills(prefix: $prefix) { name } }';
    const skillNames = async (who: ChatMember) =>
      (
        (await gql(url, skillsQuery, { prefix: 'Spam' }, { token: who.token })).body.data!.skills as Array<{
          name: string;
        }>
      ).map((skill) => skill.name);
    expect(await directory(reporter!, { text: word })).toEqual([target!.personId]);
    expect(await skillNames(reporter!)).toContain(`Spam ${word}`);

    const reportId = await profileReport(reporter!, target!, 'Spam profile');
    const second = await fileReport(url, admin, target!.personId, 'Spam, as reported');
    const done = await resolve(url, admin, reportId, 'HIDE', 'Spam');
    expect(done.report).toMatchObject({ status: 'RESOLVED', outcome: 'HIDE' });
    // Hiding is an action on the profile: every open report of it is settled with it.
    expect(openReport(await queue(url, admin, { status: 'RESOLVED' }), second.report.id).outcome).toBe('HIDE');

    const seen = await personAs(reporter!, target!.personId);
    expect(seen).toMatchObject({
      name: 'Pia Profile',
      headline: null,
      bio: null,
      skills: null,
      links: null,
      standing: null,
    });
    // Only the member's own words are hidden; the rest follows each field's visibility as before.
    expect(seen!.location).toBe('Porto');
    for (const who of [target!, admin]) {
      expect(await personAs(who, target!.personId)).toMatchObject({
        headline: `Selling ${word} followers`,
        bio: 'Click my links',
        skills: [{ skill: { name: `Spam ${word}` } }],
        links: [{ url: 'https://spam.example' }],
        standing: 'HIDDEN',
      });
    }
    // Neither found by what was hidden nor offered its skill; still found by name.
    expect(await directory(reporter!, { text: word })).toEqual([]);
    expect(await directory(reporter!, { text: 'Pia Profile' })).toContain(target!.personId);
    expect(await skillNames(reporter!)).not.toContain(`Spam ${word}`);
    expect(await directory(admin, { text: word })).toEqual([target!.personId]);

    const log = await moderationLog(url, admin);
    const entry = 'entries' in log ? log.entries.find((candidate) => candidate.report?.id === reportId) : undefined;
    expect(entry).toMatchObject({
      action: 'HIDE',
      subject: 'PROFILE',
      target: { id: target!.personId },
      undoAction: 'UNHIDE',
    });

    const lifted = await unhide(url, admin, target!.personId, 'Cleaned up');
    expect(lifted.entry).toMatchObject({
      action: 'UNHIDE',
      subject: 'PROFILE',
      target: { id: target!.personId },
      note: 'Cleaned up',
    });
    expect(await personAs(reporter!, target!.personId)).toMatchObject({
      headline: `Selling ${word} followers`,
      standing: null,
    });
    expect(await personAs(target!, target!.personId)).toMatchObject({ standing: 'ACTIVE' });
    expect(await directory(reporter!, { text: word })).toEqual([target!.personId]);
    expect((await unhide(url, admin, target!.personId)).code).toBe('NOT_IN_FORCE');
  });
});

describe('hiding a group', () => {
  it('takes it from search, node(), group(slug) and the directory filter for non-members; members keep it with a banner', async () => {
    const [owner, member, outsider] = await chatMembers(url, ['Gus Owner', 'Mia Member', 'Oz Outsider']);
    const group = await createGroup(url, owner!, { name: `Hidden Guild ${randomUUID().slice(0, 6)}` });
    expect((await mutate(url, member!, 'joinGroup', { groupId: group.id })).__typename).toBe('GroupPayload');
    const GROUP = 'query G($slug: String!) { group(slug: $slug) { id hiddenByAdmins } }';
    const SEARCH = 'query S($text: String) { groups(filter: { text: $text }, first: 20) { edges { node { id } } } }';
    const seenBy = async (who: ChatMember) => {
      const bySlug = (await gql(url, GROUP, { slug: group.slug }, { token: who.token })).body.data!.group;
      const found = (await gql(url, SEARCH, { text: group.name }, { token: who.token })).body.data!.groups.edges;
      return {
        bySlug,
        search: (found as Array<{ node: { id: string } }>).map((edge) => edge.node.id),
        node: await nodeAs(who, group.id),
        members: await directory(who, { groupId: group.id }),
      };
    };
    expect(await seenBy(outsider!)).toEqual({
      bySlug: { id: group.id, hiddenByAdmins: false },
      search: [group.id],
      node: { id: group.id },
      members: expect.arrayContaining([owner!.personId, member!.personId]),
    });

    const reportId = (await fileReport(url, outsider!, group.id, 'A scam group')).report.id as string;
    expect(openReport(await queue(url, admin), reportId).availableActions).toEqual(['HIDE', 'WARN', 'DISMISS']);
    expect((await resolve(url, admin, reportId, 'HIDE', 'Scam')).report.outcome).toBe('HIDE');

    // Gone for everyone outside it, the admin who hid it too (admins lift it from the log).
    for (const who of [outsider!, admin]) {
      expect(await seenBy(who)).toEqual({ bySlug: null, search: [], node: null, members: [] });
    }
    expect((await fileReport(url, outsider!, group.id, 'Still a scam')).__typename).toBe('NotFoundError');
    // Its members still see all of it, and are told.
    for (const who of [owner!, member!]) {
      expect(await seenBy(who)).toEqual({
        bySlug: { id: group.id, hiddenByAdmins: true },
        search: [group.id],
        node: { id: group.id },
        members: expect.arrayContaining([owner!.personId, member!.personId]),
      });
    }
    expect((await notices(url, outsider!)).map((n) => n.text)).toContain(
      'Your report about a group was reviewed: the content was hidden.',
    );

    const log = await moderationLog(url, admin);
    const entry = 'entries' in log ? log.entries.find((candidate) => candidate.report?.id === reportId) : undefined;
    expect(entry).toMatchObject({
      action: 'HIDE',
      subject: 'GROUP',
      subjectId: group.id,
      subjectGroup: { id: group.id, name: group.name },
      target: null,
      group: null,
      undoAction: 'UNHIDE',
    });
    // The group's own staff cannot lift it.
    expect((await unhide(url, owner!, group.id)).code).toBe('NOT_FOUND');

    const lifted = await unhide(url, admin, group.id, 'Owner explained');
    expect(lifted.entry).toMatchObject({ action: 'UNHIDE', subject: 'GROUP', subjectId: group.id, target: null });
    expect(await seenBy(outsider!)).toMatchObject({
      bySlug: { id: group.id, hiddenByAdmins: false },
      search: [group.id],
    });
  });
});

describe('only the instance admins', () => {
  it('may suspend, hide or lift; a member, a group moderator and a signed-out visitor are refused', async () => {
    const [reporter, target, moderator] = await chatMembers(url, ['Ira Reporter', 'Tam Target', 'Max Moderator']);
    const group = await createGroup(url, moderator!, { name: `Moderated ${randomUUID().slice(0, 6)}` });
    await mutate(url, target!, 'joinGroup', { groupId: group.id });
    const reportId = await profileReport(reporter!, target!);
    const groupReport = (await fileReport(url, reporter!, group.id, 'Spam group')).report.id as string;

    for (const who of [reporter!, moderator!, target!]) {
      for (const action of ['SUSPEND', 'HIDE']) {
        expect((await resolve(url, who, reportId, action)).code).toBe('NOT_FOUND');
        expect((await resolve(url, who, groupReport, action)).code).toBe('NOT_FOUND');
      }
      expect(await queue(url, who)).toEqual({ code: 'FORBIDDEN' });
    }
    // The admin hides and suspends (an action settles every open report of its subject, so the
    // profile's second report comes after the suspension); none of the others may lift either.
    expect((await resolve(url, admin, groupReport, 'HIDE')).report.outcome).toBe('HIDE');
    expect((await resolve(url, admin, reportId, 'SUSPEND')).report.outcome).toBe('SUSPEND');
    const hideProfile = await profileReport(moderator!, target!, 'Second report');
    expect((await resolve(url, admin, hideProfile, 'HIDE')).report.outcome).toBe('HIDE');
    for (const who of [reporter!, moderator!]) {
      expect((await unsuspend(url, who, target!.personId)).code).toBe('NOT_FOUND');
      expect((await unhide(url, who, target!.personId)).code).toBe('NOT_FOUND');
      expect((await unhide(url, who, group.id)).code).toBe('NOT_FOUND');
      expect(await moderationLog(url, who)).toEqual({ code: 'FORBIDDEN' });
    }
    // The group's moderator reads their group's log, which holds nothing of the admins' actions.
    const groupLog = await moderationLog(url, moderator!, group.id);
    // (The group is hidden, but its moderator is a member: the log is still theirs to read.)
    expect(groupLog).toEqual({ entries: [] });

    const anonymous = async (name: string, input: Record<string, unknown>, type: string) => {
      const response = await gql(url, `mutation M($input: ${type}!) { ${name}(input: $input) { __typename } }`, {
        input,
      });
      return response.body.errors?.[0]?.extensions?.code;
    };
    expect(await anonymous('unsuspendMember', { personId: target!.personId }, 'UnsuspendMemberInput')).toBe(
      'UNAUTHENTICATED',
    );
    expect(await anonymous('unhideContent', { subjectId: group.id }, 'UnhideContentInput')).toBe('UNAUTHENTICATED');
    expect(await anonymous('resolveReport', { reportId, action: 'DISMISS' }, 'ResolveReportInput')).toBe(
      'UNAUTHENTICATED',
    );
    expect(await nodeAs(null, group.id)).toBeNull();

    // Nothing any of them tried is in the log: only the admin's three actions.
    const log = await moderationLog(url, admin);
    const mine =
      'entries' in log ? log.entries.filter((e) => e.subjectId === target!.personId || e.subjectId === group.id) : [];
    expect(mine.map((e) => [e.action, e.subject, e.actor?.id])).toEqual([
      ['HIDE', 'PROFILE', admin.personId],
      ['SUSPEND', 'PROFILE', admin.personId],
      ['HIDE', 'GROUP', admin.personId],
    ]);
    // Ids of what is not theirs to lift look missing, as anywhere else.
    expect((await unsuspend(url, admin, globalId('Person', randomUUID()))).code).toBe('NOT_FOUND');
    expect((await unhide(url, admin, globalId('Message', randomUUID()))).code).toBe('NOT_FOUND');
  });
});
