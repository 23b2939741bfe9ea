import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility, GroupKind, GroupRole } from '../../generated/prisma/enums.js';
import {
  type Audience,
  audienceOf,
  canSeeField,
  keptApartFrom,
  sharesGroupWithWhere,
  standingSeenWhere,
} from '../people/index.js';

// Who sees what of mentorship, written once. The field-visibility rule itself is people's
// (people.policy FIELD_AUDIENCES through canSeeField); this file only says which mentor fields
// have a visibility and who sees a mentor profile or a mentee's needs at all.

export const MENTOR_FIELDS = [
  'expertise',
  'helpOffered',
  'capacity',
  'formats',
  'cadences',
  'weeklyHours',
  'languages',
  'askScope',
] as const;
export type MentorField = (typeof MENTOR_FIELDS)[number];
export type MentorVisibilities = Record<MentorField, FieldVisibility>;

export function mentorVisibilitiesOf(
  row: { [K in MentorField as `${K}Visibility`]: FieldVisibility },
): MentorVisibilities {
  const visibilities = {} as MentorVisibilities;
  for (const field of MENTOR_FIELDS) visibilities[field] = row[`${field}Visibility`];
  return visibilities;
}

/**
 * A mentor profile is the member's own words: it is seen by signed-in members who see the member's
 * words (people.policy STANDING_SIGHT.words; a hidden profile's mentor profile is the member's own
 * only). Signed out: no one. The Prisma form (node(id), Person.mentorProfile, Viewer.mentorProfile).
 */
export function mentorProfileSeenWhere(viewerId: string | null | undefined): Prisma.MentorProfileWhereInput {
  if (!viewerId) return { userId: { in: [] } };
  return { user: standingSeenWhere('words', viewerId, false) };
}

/** How the viewer stands to the mentor, for each field's visibility (people's audiences). */
export async function mentorAudience(
  db: DbClient,
  viewerId: string | null | undefined,
  mentorId: string,
): Promise<Audience> {
  if (!viewerId || viewerId === mentorId) return audienceOf(viewerId, mentorId, false);
  const shares = await db.user.count({ where: { id: mentorId, ...sharesGroupWithWhere(viewerId) } });
  return audienceOf(viewerId, mentorId, shares > 0);
}

export function canSeeMentorField(visibilities: MentorVisibilities, field: MentorField, audience: Audience): boolean {
  return canSeeField(visibilities[field], audience);
}

/** A mentee's needs: only the member, for now (later also the mentors they ask). */
export function seesMenteeNeeds(viewerId: string | null | undefined, menteeId: string): boolean {
  return viewerId != null && viewerId === menteeId;
}

/** Who may ask: a mentor may only choose groups they belong to. The ids among `groupIds` they do not. */
export async function groupsNotTheMentors(
  db: DbClient,
  mentorId: string,
  groupIds: readonly string[],
): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const mine = await db.membership.findMany({
    where: { userId: mentorId, groupId: { in: [...groupIds] } },
    select: { groupId: true },
  });
  const own = new Set(mine.map((membership) => membership.groupId));
  return groupIds.filter((id) => !own.has(id));
}

// ── Requests and the relationship (H2) ──────────────────────────────────
// A request is seen by its mentee and mentor, and a program pairing also by its program group's
// owners and admins (they see it, they cannot answer it). A mentorship, its agreements and its
// conversation: its two members only (program admins get aggregates, never a mentorship itself).

/** Who may pair two members by hand in a PROGRAM group, and see the pairings made there. */
export const PAIRING_ROLES = ['OWNER', 'ADMIN'] as const satisfies readonly GroupRole[];

export function mayProposePairing(group: { kind: GroupKind }, role: GroupRole | null | undefined): boolean {
  return group.kind === 'PROGRAM' && role != null && (PAIRING_ROLES as readonly GroupRole[]).includes(role);
}

export function visibleRequestsWhere(viewerId: string | null | undefined): Prisma.MentorshipRequestWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { menteeId: viewerId },
      { mentorId: viewerId },
      {
        origin: 'PROGRAM_ADMIN',
        group: { memberships: { some: { userId: viewerId, role: { in: [...PAIRING_ROLES] } } } },
      },
    ],
  };
}

export function visibleMentorshipsWhere(viewerId: string | null | undefined): Prisma.MentorshipWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return { OR: [{ menteeId: viewerId }, { mentorId: viewerId }] };
}

export type MentorshipRole = 'MENTOR' | 'MENTEE';

/** The viewer's side of a request or mentorship; null when they are neither. */
export function roleIn(
  pair: { mentorId: string; menteeId: string },
  viewerId: string | null | undefined,
): MentorshipRole | null {
  if (!viewerId) return null;
  if (pair.mentorId === viewerId) return 'MENTOR';
  return pair.menteeId === viewerId ? 'MENTEE' : null;
}

type RequestFacts = {
  mentorId: string;
  menteeId: string;
  origin: 'MENTEE' | 'PROGRAM_ADMIN';
  status: string;
  mentorAgreedAt: Date | null;
  menteeAgreedAt: Date | null;
};

/**
 * Who may answer a pending request: the mentor; for a program pairing also the mentee (both must
 * agree), each once. Either side may decline a pairing; only the mentee withdraws what they asked.
 */
export function requestActions(
  request: RequestFacts,
  viewerId: string | null | undefined,
): { accept: boolean; decline: boolean; withdraw: boolean } {
  const role = roleIn(request, viewerId);
  if (request.status !== 'PENDING' || !role) return { accept: false, decline: false, withdraw: false };
  const pairing = request.origin === 'PROGRAM_ADMIN';
  const agreed = role === 'MENTOR' ? request.mentorAgreedAt !== null : request.menteeAgreedAt !== null;
  const answers = role === 'MENTOR' || pairing;
  return {
    accept: answers && !agreed,
    decline: answers,
    withdraw: role === 'MENTEE' && !pairing,
  };
}

/**
 * Whether a mentor lets this member ask (who may ask, askScope): everyone, or members of one of the
 * chosen groups. Blocks and capacity are checked apart (blocking.policy, the mentor's row lock).
 */
export async function mayAskMentor(
  db: DbClient,
  mentor: { userId: string; askScope: 'EVERYONE' | 'CHOSEN_GROUPS' },
  menteeId: string,
): Promise<boolean> {
  return (await mentorsLettingAsk(db, [mentor], menteeId)).has(mentor.userId);
}

/** The same rule for many mentors: those of `mentors` who let this member ask. One statement at most. */
export async function mentorsLettingAsk(
  db: DbClient,
  mentors: ReadonlyArray<{ userId: string; askScope: 'EVERYONE' | 'CHOSEN_GROUPS' }>,
  menteeId: string,
): Promise<Set<string>> {
  const letting = new Set(mentors.filter((mentor) => mentor.askScope === 'EVERYONE').map((mentor) => mentor.userId));
  const chosen = mentors.filter((mentor) => mentor.askScope !== 'EVERYONE').map((mentor) => mentor.userId);
  if (chosen.length === 0) return letting;
  const rows = await db.mentorAskGroup.findMany({
    where: { mentorId: { in: chosen }, group: { memberships: { some: { userId: menteeId } } } },
    select: { mentorId: true },
    distinct: ['mentorId'],
  });
  for (const row of rows) letting.add(row.mentorId);
  return letting;
}

// ── Asking a mentor: every refusal, in the order a member would want to learn them ──

/**
 * Why a member may not ask a mentor now. NOT_A_MENTOR: no mentor profile the member sees; KEPT_APART:
 * a block either way (people's BLOCK_RULES.requestMentorship). The mutation answers both as a mentor
 * who does not exist; words said ahead (Person.viewerActions) never say who blocked whom.
 */
export type AskRefusal =
  | 'NOT_A_MENTOR'
  | 'KEPT_APART'
  | 'ALREADY_MENTORED'
  | 'REQUEST_ALREADY_PENDING'
  | 'MENTOR_NOT_ACCEPTING'
  | 'MENTOR_AT_CAPACITY'
  | 'NOT_ALLOWED_TO_ASK'
  | 'PENDING_REQUEST_LIMIT';

/** Between a mentor and a mentee: an active mentorship, or a request waiting (asking and pairing alike). */
export function pairRefusal(pair: { active: boolean; pending: boolean }): AskRefusal | null {
  if (pair.active) return 'ALREADY_MENTORED';
  return pair.pending ? 'REQUEST_ALREADY_PENDING' : null;
}

/** Whether the mentor has room: accepting, and fewer active mentees than their capacity. */
export function roomRefusal(profile: { accepting: boolean; capacity: number }, active: number): AskRefusal | null {
  if (!profile.accepting) return 'MENTOR_NOT_ACCEPTING';
  return active >= profile.capacity ? 'MENTOR_AT_CAPACITY' : null;
}

/**
 * For each of `mentorIds`, why `menteeId` may not ask them now (null: they may), in a fixed number
 * of statements whatever the number of mentors. requestMentorship asks it for one mentor under its
 * lock and refuses with the answer; Person.viewerActions asks it ahead for a page of people.
 */
export async function askRefusals(
  db: DbClient,
  menteeId: string,
  mentorIds: readonly string[],
  pendingLimit: number,
): Promise<Map<string, AskRefusal | null>> {
  const ids = [...new Set(mentorIds)].filter((id) => id !== menteeId);
  const result = new Map<string, AskRefusal | null>(mentorIds.map((id) => [id, 'NOT_A_MENTOR']));
  if (ids.length === 0) return result;
  const [profiles, keptApart, active, pending, counts, ownPending] = await Promise.all([
    db.mentorProfile.findMany({
      where: { userId: { in: ids }, AND: [mentorProfileSeenWhere(menteeId)] },
      select: { userId: true, accepting: true, capacity: true, askScope: true },
    }),
    keptApartFrom(db, 'requestMentorship', menteeId, ids),
    db.mentorship.findMany({
      where: { mentorId: { in: ids }, menteeId, status: 'ACTIVE' },
      select: { mentorId: true },
    }),
    db.mentorshipRequest.findMany({
      where: { mentorId: { in: ids }, menteeId, status: 'PENDING' },
      select: { mentorId: true },
    }),
    db.mentorship.groupBy({
      by: ['mentorId'],
      where: { mentorId: { in: ids }, status: 'ACTIVE' },
      _count: { _all: true },
    }),
    db.mentorshipRequest.count({ where: { menteeId, origin: 'MENTEE', status: 'PENDING' } }),
  ]);
  for (const profile of profiles) if (keptApart.has(profile.userId)) result.set(profile.userId, 'KEPT_APART');
  const seen = profiles.filter((profile) => !keptApart.has(profile.userId));
  const letting = await mentorsLettingAsk(db, seen, menteeId);
  const activePair = new Set(active.map((row) => row.mentorId));
  const pendingPair = new Set(pending.map((row) => row.mentorId));
  const activeOf = new Map(counts.map((row) => [row.mentorId, row._count._all]));
  for (const profile of seen) {
    result.set(
      profile.userId,
      pairRefusal({ active: activePair.has(profile.userId), pending: pendingPair.has(profile.userId) }) ??
        roomRefusal(profile, activeOf.get(profile.userId) ?? 0) ??
        (letting.has(profile.userId) ? null : 'NOT_ALLOWED_TO_ASK') ??
        (ownPending >= pendingLimit ? 'PENDING_REQUEST_LIMIT' : null),
    );
  }
  return result;
}

// ── Goals, check-ins, feedback, ending, achievements (H3) ───────────────
// Both members read everything of their mentorship (visibleMentorshipsWhere), after its end too;
// only while it is ACTIVE do they write. A private note of a check-in is its author's alone, on
// every path. Only the mentee celebrates a goal, once it is COMPLETED.

/** May the viewer add or change goals, check-ins and feedback? A member of an ACTIVE mentorship. */
export function mayWriteRelationship(
  mentorship: { mentorId: string; menteeId: string; status: 'ACTIVE' | 'ENDED' },
  viewerId: string | null | undefined,
): boolean {
  return roleIn(mentorship, viewerId) !== null && mentorship.status === 'ACTIVE';
}

/** A private note is seen by its author alone. */
export function seesPrivateNote(note: { authorId: string }, viewerId: string | null | undefined): boolean {
  return viewerId != null && note.authorId === viewerId;
}

/** Only the mentee celebrates, and only a completed goal. */
export function mayCelebrate(
  goal: { status: 'ACTIVE' | 'COMPLETED' | 'DROPPED' },
  mentorship: { mentorId: string; menteeId: string },
  viewerId: string | null | undefined,
): boolean {
  return roleIn(mentorship, viewerId) === 'MENTEE' && goal.status === 'COMPLETED';
}

/**
 * A poor fit: the latest feedback of either side says the pairing is not working. Then either side
 * is offered to end it and look for new suggestions.
 */
export function poorFit(
  feedback: ReadonlyArray<{ authorId: string; pairingWorking: boolean; createdAt: Date }>,
): boolean {
  const latest = new Map<string, { pairingWorking: boolean; createdAt: Date }>();
  for (const entry of feedback) {
    const seen = latest.get(entry.authorId);
    if (!seen || seen.createdAt < entry.createdAt) latest.set(entry.authorId, entry);
  }
  return [...latest.values()].some((entry) => !entry.pairingWorking);
}

// ── Program metrics (H4) ────────────────────────────────────────────────

/**
 * A PROGRAM group's metrics (aggregates only: metrics.ts) are for those who run the program, the
 * roles that pair its members. Anyone else, and any other kind of group, gets none.
 */
export function seesProgramMetrics(group: { kind: GroupKind }, role: GroupRole | null | undefined): boolean {
  return mayProposePairing(group, role);
}

const ACHIEVEMENT_VISIBILITIES = ['MEMBERS', 'SHARED_GROUPS', 'ONLY_ME'] as const satisfies readonly FieldVisibility[];

/**
 * Which achievements (profile badges) the viewer sees: people's field-visibility rule over the
 * badge's own visibility (the mentee always; members or groupmates as it says), and only where the
 * mentee's own words are seen (a hidden profile's badges are the mentee's own). Node, lists, Person.
 */
export function achievementsSeenWhere(viewerId: string | null | undefined): Prisma.AchievementWhereInput {
  if (!viewerId) return { id: { in: [] } };
  const seenBy = (audience: Audience) => ACHIEVEMENT_VISIBILITIES.filter((v) => canSeeField(v, audience));
  return {
    AND: [
      { mentee: standingSeenWhere('words', viewerId, false) },
      {
        OR: [
          { menteeId: viewerId },
          { visibility: { in: seenBy('MEMBER') } },
          { visibility: { in: seenBy('SHARES_GROUP') }, mentee: sharesGroupWithWhere(viewerId) },
        ],
      },
    ],
  };
}
