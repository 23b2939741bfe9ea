import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type {
  FieldVisibility,
  GroupKind,
  IntroductionStatus,
  IntroductionsThrough,
  MentorshipStatus,
  OpenTo,
} from '../../generated/prisma/enums.js';
import { visibleGroupsWhere } from '../groups/index.js';
import {
  type Audience,
  canSeeField,
  notKeptApartWhere,
  sharesGroupWithWhere,
  standingSeenWhere,
} from '../people/index.js';

// Every rule of introductions, each written once: who may broker between whom (the connections),
// whom a target accepts introductions through, and who sees which part of an introduction in which
// state. The service (asking, each step), the Introduction node and its lists, the suggested
// brokers, the notifications and the live events all ask these functions; forbidden looks like
// not found everywhere.

// ── Connections: who may broker ─────────────────────────────────────────

/**
 * A real connection between two members: a group both belong to (one the requester can see: a
 * SECRET group they are not in does not count), a mentorship between them (active or ended), or a
 * DIRECT conversation of theirs with at least one message.
 */
export const CONNECTION_KINDS = ['GROUP', 'MENTORSHIP', 'CONVERSATION'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** The mentorships that count as a connection. */
export const CONNECTING_MENTORSHIPS = ['ACTIVE', 'ENDED'] as const satisfies readonly MentorshipStatus[];

/** What connects the broker with the requester: any real connection. */
export const REQUESTER_LINKS = ['GROUP', 'MENTORSHIP', 'CONVERSATION'] as const satisfies readonly ConnectionKind[];

/**
 * The links with the target a refusal may speak of: only a group (one the requester can see). A
 * mentorship and a direct conversation are the broker's and the target's alone, so a broker tied to
 * the target by nothing the target accepts introductions through reads as NOT_THROUGH_THIS_BROKER
 * only when they share such a group; otherwise as NO_CONNECTION, as if they had no link at all
 * (saying NOT_THROUGH_THIS_BROKER for a conversation alone told the requester the two talk).
 */
export const TARGET_LINKS_TOLD = ['GROUP'] as const satisfies readonly ConnectionKind[];

/**
 * Whom the target accepts introductions through (User.introductionsThrough): the broker must be
 * connected with them by one of these (NOT_THROUGH_THIS_BROKER otherwise).
 */
export const ACCEPTS_THROUGH = {
  SHARED_GROUPS: ['GROUP', 'MENTORSHIP'],
  MENTORSHIPS: ['MENTORSHIP'],
} as const satisfies Record<IntroductionsThrough, readonly ConnectionKind[]>;

/** A group two members share, with what the suggested brokers put into words. */
export interface SharedGroup {
  id: string;
  name: string;
  kind: GroupKind;
  cohort: string | null;
  institution: string | null;
  graduationYear: number | null;
  parentId: string | null;
  memberCount: number;
}

/** How a broker is connected with one member (the requester or the target). */
export interface Link {
  /** Groups both belong to, each one the requester can see. */
  groups: SharedGroup[];
  /** MENTORS_THEM: the broker mentors (or mentored) the member; MENTORED_BY_THEM: the other way. */
  mentorship: 'MENTORS_THEM' | 'MENTORED_BY_THEM' | null;
  /** The last message of a DIRECT conversation of the two (null: none with a message). */
  lastDirectMessageAt: Date | null;
}

export interface BrokerLinks {
  requester: Link;
  target: Link;
}

const NO_LINK: Link = { groups: [], mentorship: null, lastDirectMessageAt: null };

/** The kinds of connection a link holds. */
export function linkKinds(link: Link): Set<ConnectionKind> {
  const kinds = new Set<ConnectionKind>();
  if (link.groups.length > 0) kinds.add('GROUP');
  if (link.mentorship) kinds.add('MENTORSHIP');
  if (link.lastDirectMessageAt) kinds.add('CONVERSATION');
  return kinds;
}

const holdsAny = (link: Link, kinds: readonly ConnectionKind[]) => {
  const held = linkKinds(link);
  return kinds.some((kind) => held.has(kind));
};

export type BrokerRefusal = 'NO_CONNECTION' | 'NOT_THROUGH_THIS_BROKER';

/**
 * The JS check over loaded links: null when this broker may introduce the requester to a target
 * who accepts introductions `through` this way.
 */
export function mayBroker(links: BrokerLinks | undefined, through: IntroductionsThrough): BrokerRefusal | null {
  if (!links || !holdsAny(links.requester, REQUESTER_LINKS)) return 'NO_CONNECTION';
  if (holdsAny(links.target, ACCEPTS_THROUGH[through])) return null;
  return holdsAny(links.target, TARGET_LINKS_TOLD) ? 'NOT_THROUGH_THIS_BROKER' : 'NO_CONNECTION';
}

/** Members who may broker at all, as a Prisma filter on User: seen (not suspended), not kept apart from either. */
export function brokerEligibleWhere(requesterId: string, targetId: string): Prisma.UserWhereInput {
  return {
    AND: [
      { id: { notIn: [requesterId, targetId] } },
      standingSeenWhere('person', requesterId, false),
      notKeptApartWhere('introduce', requesterId),
      notKeptApartWhere('introduce', targetId),
    ],
  };
}

/**
 * The connections of brokers with the requester and with the target, loaded in a few statements
 * (`brokerIds`: only these; otherwise everyone connected with the target). Only eligible brokers
 * (brokerEligibleWhere) are in the map, and only those connected with both somehow; decide with
 * mayBroker.
 */
export async function brokerConnections(
  db: DbClient,
  input: { requesterId: string; targetId: string; brokerIds?: readonly string[] },
): Promise<Map<string, BrokerLinks>> {
  const { requesterId, targetId } = input;
  const userFilter = (): Prisma.UserWhereInput => ({
    AND: [
      brokerEligibleWhere(requesterId, targetId),
      ...(input.brokerIds ? [{ id: { in: [...input.brokerIds] } }] : []),
    ],
  });
  const targetSide = await linksWith(db, targetId, requesterId, userFilter());
  const candidates = [...targetSide.keys()];
  if (candidates.length === 0) return new Map();
  const requesterSide = await linksWith(db, requesterId, requesterId, { id: { in: candidates } });
  const result = new Map<string, BrokerLinks>();
  for (const id of candidates) {
    const requester = requesterSide.get(id);
    if (requester) result.set(id, { requester, target: targetSide.get(id) ?? NO_LINK });
  }
  return result;
}

/**
 * Whether the target still takes introductions through this broker, checked again when the broker
 * forwards: their terms hold when the request reaches them (they may have left the group they shared
 * with the broker, or narrowed introductionsThrough to mentorships, since the request). The
 * requester's side is not asked again: the broker, who forwards, consents for it.
 */
export async function targetStillAcceptsThrough(
  db: DbClient,
  input: { requesterId: string; brokerId: string; target: { id: string; introductionsThrough: IntroductionsThrough } },
): Promise<boolean> {
  const links = await linksWith(db, input.target.id, input.requesterId, { id: input.brokerId });
  const link = links.get(input.brokerId);
  return link !== undefined && holdsAny(link, ACCEPTS_THROUGH[input.target.introductionsThrough]);
}

const GROUP_FACTS = {
  id: true,
  name: true,
  kind: true,
  cohort: true,
  institution: true,
  graduationYear: true,
  parentId: true,
  _count: { select: { memberships: true } },
} as const;

/** Every member (of `others`) connected with `memberId`, with how; groups must be ones `seenById` can see. */
async function linksWith(
  db: DbClient,
  memberId: string,
  seenById: string,
  others: Prisma.UserWhereInput,
): Promise<Map<string, Link>> {
  const links = new Map<string, Link>();
  const linkOf = (id: string) => {
    let link = links.get(id);
    if (!link) links.set(id, (link = { groups: [], mentorship: null, lastDirectMessageAt: null }));
    return link;
  };
  const notSelf: Prisma.UserWhereInput = { AND: [others, { id: { not: memberId } }] };
  const [memberships, asMentor, asMentee, directs] = await Promise.all([
    db.membership.findMany({
      where: {
        user: notSelf,
        group: { AND: [{ memberships: { some: { userId: memberId } } }, visibleGroupsWhere(seenById)] },
      },
      select: { userId: true, group: { select: GROUP_FACTS } },
      orderBy: { groupId: 'asc' },
    }),
    // The other mentors `memberId`.
    db.mentorship.findMany({
      where: { menteeId: memberId, status: { in: [...CONNECTING_MENTORSHIPS] }, mentor: notSelf },
      select: { mentorId: true },
    }),
    db.mentorship.findMany({
      where: { mentorId: memberId, status: { in: [...CONNECTING_MENTORSHIPS] }, mentee: notSelf },
      select: { menteeId: true },
    }),
    db.conversationParticipant.findMany({
      where: {
        user: notSelf,
        conversation: { kind: 'DIRECT', participants: { some: { userId: memberId } }, messages: { some: {} } },
      },
      select: { userId: true, conversation: { select: { lastMessageAt: true, createdAt: true } } },
    }),
  ]);
  for (const { userId, group } of memberships) {
    const { _count, ...facts } = group;
    linkOf(userId).groups.push({ ...facts, memberCount: _count.memberships });
  }
  for (const { mentorId } of asMentor) linkOf(mentorId).mentorship = 'MENTORS_THEM';
  for (const { menteeId } of asMentee) linkOf(menteeId).mentorship ??= 'MENTORED_BY_THEM';
  for (const { userId, conversation } of directs) {
    const at = conversation.lastMessageAt ?? conversation.createdAt;
    const link = linkOf(userId);
    if (!link.lastDirectMessageAt || link.lastDirectMessageAt < at) link.lastDirectMessageAt = at;
  }
  return links;
}

// ── The target ───────────────────────────────────────────────────────────

/** Whether the member takes introductions at all (their profile's openTo holds it). */
export function openToIntroductions(target: { openTo: readonly OpenTo[] }): boolean {
  return target.openTo.includes('INTRODUCTIONS');
}

const OPEN_TO_VISIBILITIES = ['MEMBERS', 'SHARED_GROUPS', 'ONLY_ME'] as const satisfies readonly FieldVisibility[];
const openToSeenBy = (audience: Audience) => OPEN_TO_VISIBILITIES.filter((v) => canSeeField(v, audience));

/**
 * Members who take introductions from this requester, as a Prisma filter on User: openTo holds
 * INTRODUCTIONS *and* the requester may see openTo (people.policy). Taking introductions is said to
 * the asker on the profile; a member who hides openTo from someone (ONLY_ME, or SHARED_GROUPS and no
 * group in common) reads to them as not taking introductions whatever the hidden list holds, so
 * NOT_OPEN_TO_INTRODUCTIONS, introductionBrokers' words and Person.viewerCanAskIntroduction never
 * tell a hidden field's value. (Asking anyway would put a request before someone who may not
 * want them; refusing only when the hidden list lacks INTRODUCTIONS would tell that it does.)
 */
export function takesIntroductionsFromWhere(requesterId: string): Prisma.UserWhereInput {
  const sharingOnly = openToSeenBy('SHARES_GROUP').filter((v) => !openToSeenBy('MEMBER').includes(v));
  return {
    openTo: { has: 'INTRODUCTIONS' },
    OR: [
      { openToVisibility: { in: openToSeenBy('MEMBER') } },
      { AND: [{ openToVisibility: { in: sharingOnly } }, sharesGroupWithWhere(requesterId)] },
    ],
  };
}

/**
 * The members the requester may ask about or through (the broker and the target): a person they can
 * see (people.policy standing) and not kept apart from them by a block either way.
 */
export function introductionPartyWhere(requesterId: string): Prisma.UserWhereInput {
  return {
    AND: [
      { id: { not: requesterId } },
      standingSeenWhere('person', requesterId, false),
      notKeptApartWhere('introduce', requesterId),
    ],
  };
}

/**
 * The three of an introduction who still stand (people.policy: not suspended, whom nobody sees any
 * more), as a Prisma filter on User: its steps (forward, accept) go on only while all three do — a
 * request of a member suspended since is not passed on, and no conversation opens with them; like a
 * block arisen since, it looks like a missing introduction to whoever tries.
 */
export function introductionPartiesStandingWhere(introduction: IntroductionParties): Prisma.UserWhereInput {
  return {
    id: { in: [introduction.requesterId, introduction.brokerId, introduction.targetId] },
    AND: [standingSeenWhere('person', null, false)],
  };
}

// ── Who sees an introduction, and which part of it ──────────────────────

export const INTRODUCTION_ROLES = ['REQUESTER', 'BROKER', 'TARGET'] as const;
export type IntroductionRole = (typeof INTRODUCTION_ROLES)[number];

/**
 * Who sees an introduction at all (node(id), lists, notifications, live events): the requester and
 * the broker always; the target only once the broker forwarded it. Anyone else, and signed out: never.
 */
export const INTRODUCTION_SIGHT = {
  REQUESTER: 'always',
  BROKER: 'always',
  TARGET: 'onceForwarded',
} as const satisfies Record<IntroductionRole, 'always' | 'onceForwarded'>;

export interface IntroductionParties {
  requesterId: string;
  brokerId: string;
  targetId: string;
  forwardedAt: Date | null;
}

/** What the rules read of an introduction. */
export interface IntroductionFacts extends IntroductionParties {
  status: IntroductionStatus;
}

const ROLE_COLUMN = { REQUESTER: 'requesterId', BROKER: 'brokerId', TARGET: 'targetId' } as const;

/** The viewer's role in the introduction, null when they may not see it (the target before it was forwarded). */
export function introductionRoleOf(
  introduction: IntroductionParties,
  viewerId: string | null | undefined,
): IntroductionRole | null {
  if (!viewerId) return null;
  for (const role of INTRODUCTION_ROLES) {
    if (introduction[ROLE_COLUMN[role]] !== viewerId) continue;
    return INTRODUCTION_SIGHT[role] === 'always' || introduction.forwardedAt !== null ? role : null;
  }
  return null;
}

/** The same rule as a Prisma filter on Introduction: the introductions this viewer sees. */
export function visibleIntroductionsWhere(viewerId: string | null | undefined): Prisma.IntroductionWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: INTRODUCTION_ROLES.map((role) => ({
      [ROLE_COLUMN[role]]: viewerId,
      ...(INTRODUCTION_SIGHT[role] === 'onceForwarded' ? { forwardedAt: { not: null } } : {}),
    })),
  };
}

/** Only the introductions where the viewer has this role (and sees it): the lists' tabs. */
export function introductionsInRoleWhere(viewerId: string, role: IntroductionRole): Prisma.IntroductionWhereInput {
  return {
    [ROLE_COLUMN[role]]: viewerId,
    ...(INTRODUCTION_SIGHT[role] === 'onceForwarded' ? { forwardedAt: { not: null } } : {}),
  };
}

/**
 * Everyone who sees it now: whom a change is published and notified to. With `field`: only those of
 * them who read that field in this state (a change to it alone is news to nobody else: the requester
 * must not hear the target answer "did you connect?").
 */
export function introductionViewerIds(
  introduction: IntroductionParties & { status?: IntroductionStatus },
  field?: IntroductionField,
): string[] {
  return INTRODUCTION_ROLES.filter(
    (role) =>
      (INTRODUCTION_SIGHT[role] === 'always' || introduction.forwardedAt !== null) &&
      (!field || !introduction.status || seesIntroductionField(field, role, introduction.status)),
  ).map((role) => introduction[ROLE_COLUMN[role]]);
}

export const OPEN_STATUSES = ['REQUESTED', 'FORWARDED'] as const satisfies readonly IntroductionStatus[];

/**
 * What holds the pair's cool-down (INTRODUCTIONS_COOLDOWN_DAYS from closedAt): the broker's "not
 * now", and every end the requester reads as NOT_HAPPENED — the target's decline and the target's
 * silence alike (a cool-down after a decline only would tell the requester that the target said no).
 */
export const COOL_DOWN_STATUSES = [
  'BROKER_DECLINED',
  'TARGET_DECLINED',
  'TARGET_EXPIRED',
] as const satisfies readonly IntroductionStatus[];

/** The state each role reads. The requester never learns who said no: a target's decline and expiry read alike. */
export const STATE_FOR_REQUESTER = {
  REQUESTED: 'REQUESTED',
  FORWARDED: 'FORWARDED',
  ACCEPTED: 'ACCEPTED',
  BROKER_DECLINED: 'NOT_NOW',
  TARGET_DECLINED: 'NOT_HAPPENED',
  TARGET_EXPIRED: 'NOT_HAPPENED',
  BROKER_EXPIRED: 'EXPIRED',
  WITHDRAWN: 'WITHDRAWN',
} as const satisfies Record<IntroductionStatus, string>;

export type IntroductionState = IntroductionStatus | (typeof STATE_FOR_REQUESTER)[keyof typeof STATE_FOR_REQUESTER];

export const INTRODUCTION_STATES = [
  'REQUESTED',
  'FORWARDED',
  'ACCEPTED',
  'NOT_NOW',
  'NOT_HAPPENED',
  'EXPIRED',
  'WITHDRAWN',
  'BROKER_DECLINED',
  'TARGET_DECLINED',
  'BROKER_EXPIRED',
  'TARGET_EXPIRED',
] as const satisfies readonly IntroductionState[];

export function introductionStateFor(role: IntroductionRole, status: IntroductionStatus): IntroductionState {
  return role === 'REQUESTER' ? STATE_FOR_REQUESTER[status] : status;
}

/** When a role sees a field: always, never, or in these states only. */
type Sight = 'always' | 'never' | readonly IntroductionStatus[];

const NOT_THE_TARGETS_ANSWER = [
  'REQUESTED',
  'FORWARDED',
  'ACCEPTED',
  'BROKER_DECLINED',
  'BROKER_EXPIRED',
  'WITHDRAWN',
] as const satisfies readonly IntroductionStatus[];

/**
 * Who sees which field, by role and state (the node's fields; the viewer sees the introduction at
 * all first). The requester never learns when or how the target said no: closedAt of a target's
 * decline or expiry stays hidden from them, and the target's note and the broker's note to the
 * target only show once it is accepted.
 */
export const INTRODUCTION_FIELD_SIGHT = {
  reason: { REQUESTER: 'always', BROKER: 'always', TARGET: 'never' },
  hopes: { REQUESTER: 'always', BROKER: 'always', TARGET: 'never' },
  presentation: { REQUESTER: 'always', BROKER: 'always', TARGET: 'always' },
  brokerNote: { REQUESTER: ['ACCEPTED'], BROKER: 'always', TARGET: 'always' },
  brokerMessage: { REQUESTER: 'always', BROKER: 'always', TARGET: 'never' },
  targetNote: { REQUESTER: ['ACCEPTED'], BROKER: 'always', TARGET: 'always' },
  createdAt: { REQUESTER: 'always', BROKER: 'always', TARGET: 'always' },
  forwardedAt: { REQUESTER: 'always', BROKER: 'always', TARGET: 'always' },
  closedAt: { REQUESTER: NOT_THE_TARGETS_ANSWER, BROKER: 'always', TARGET: 'always' },
  expiresAt: { REQUESTER: OPEN_STATUSES, BROKER: ['REQUESTED'], TARGET: ['FORWARDED'] },
  conversation: { REQUESTER: ['ACCEPTED'], BROKER: ['ACCEPTED'], TARGET: ['ACCEPTED'] },
  requesterFollowUp: { REQUESTER: 'always', BROKER: 'always', TARGET: 'never' },
  targetFollowUp: { REQUESTER: 'never', BROKER: 'always', TARGET: 'always' },
  followUpAskedAt: { REQUESTER: ['ACCEPTED'], BROKER: ['ACCEPTED'], TARGET: ['ACCEPTED'] },
} as const satisfies Record<string, Record<IntroductionRole, Sight>>;

export type IntroductionField = keyof typeof INTRODUCTION_FIELD_SIGHT;

export function seesIntroductionField(
  field: IntroductionField,
  role: IntroductionRole | null,
  status: IntroductionStatus,
): boolean {
  if (role === null) return false;
  const sight: Sight = INTRODUCTION_FIELD_SIGHT[field][role];
  if (sight === 'always') return true;
  if (sight === 'never') return false;
  return sight.includes(status);
}

// ── Who does what, when ─────────────────────────────────────────────────

/**
 * Each step: which role takes it, in which states. Anyone else who sees the introduction is told it
 * is no longer waiting for them (INTRODUCTION_CLOSED); whoever does not see it, that it was not found.
 */
export const INTRODUCTION_ACTIONS = {
  forward: { BROKER: ['REQUESTED'] },
  /** The broker declines the request; the target declines the introduction. */
  decline: { BROKER: ['REQUESTED'], TARGET: ['FORWARDED'] },
  accept: { TARGET: ['FORWARDED'] },
  withdraw: { REQUESTER: OPEN_STATUSES },
  answerFollowUp: { REQUESTER: ['ACCEPTED'], TARGET: ['ACCEPTED'] },
  leaveConversation: { BROKER: ['ACCEPTED'] },
} as const satisfies Record<string, Partial<Record<IntroductionRole, readonly IntroductionStatus[]>>>;

export type IntroductionAction = keyof typeof INTRODUCTION_ACTIONS;

export function mayActOnIntroduction(
  action: IntroductionAction,
  role: IntroductionRole | null,
  status: IntroductionStatus,
): boolean {
  if (role === null) return false;
  const statuses: readonly IntroductionStatus[] | undefined = (
    INTRODUCTION_ACTIONS[action] as Partial<Record<IntroductionRole, readonly IntroductionStatus[]>>
  )[role];
  return statuses?.includes(status) ?? false;
}

/** The viewer's possible steps, for the node's viewerCan* booleans. */
export function introductionActions(
  introduction: IntroductionFacts,
  viewerId: string | null | undefined,
): Record<IntroductionAction, boolean> {
  const role = introductionRoleOf(introduction, viewerId);
  const result = {} as Record<IntroductionAction, boolean>;
  for (const action of Object.keys(INTRODUCTION_ACTIONS) as IntroductionAction[]) {
    result[action] = mayActOnIntroduction(action, role, introduction.status);
  }
  return result;
}

// ── When the requester learns how the target's step ended (S2) ──────────

const DAY_MS = 86_400_000;

/**
 * The requester never learns whether the target declined or let the step lapse, not even by when
 * they hear it: a target's decline reaches the requester when a lapse would, at the end of the
 * target's step (forwardedAt + INTRODUCTIONS_STEP_DAYS, the deadline they saw as expiresAt). Until
 * then the requester reads the introduction as still forwarded: still open, the same deadline, theirs
 * to withdraw. The broker and the target read the decline at once.
 */
export const TARGET_STEP_HIDES_DECLINE = ['TARGET_DECLINED'] as const satisfies readonly IntroductionStatus[];

type OutcomeFacts = { status: IntroductionStatus; forwardedAt: Date | null };

/** The end of the target's step: when a lapse would have closed it. */
export function targetStepEndsAt(intro: { forwardedAt: Date | null }, stepDays: number): Date | null {
  return intro.forwardedAt === null ? null : new Date(intro.forwardedAt.getTime() + stepDays * DAY_MS);
}

/** When the requester learns how it ended: the end of the target's step for a decline; otherwise closedAt. */
export function requesterSeesOutcomeAt(intro: OutcomeFacts & { closedAt: Date | null }, stepDays: number): Date | null {
  return (TARGET_STEP_HIDES_DECLINE as readonly IntroductionStatus[]).includes(intro.status)
    ? targetStepEndsAt(intro, stepDays)
    : intro.closedAt;
}

/** Whether the requester still reads this introduction as waiting for the target (a decline before the step's end). */
export function declineHiddenFromRequester(intro: OutcomeFacts, now: Date, stepDays: number): boolean {
  if (!(TARGET_STEP_HIDES_DECLINE as readonly IntroductionStatus[]).includes(intro.status)) return false;
  const end = targetStepEndsAt(intro, stepDays);
  return end !== null && now < end;
}

/**
 * Whether the target's step ran out on a forwarded introduction the expiry job has not closed yet (it
 * polls). The requester reads it as lapsed from that moment, exactly when a hidden decline shows:
 * otherwise the seconds (or, the runner stopped, the hours) between the two would tell them apart.
 */
export function lapsedBeforeItsJob(intro: OutcomeFacts, now: Date, stepDays: number): boolean {
  const end = intro.status === 'FORWARDED' ? targetStepEndsAt(intro, stepDays) : null;
  return end !== null && now >= end;
}

/** The same rule as a Prisma filter on Introduction. */
export function lapsedBeforeItsJobWhere(now: Date, stepDays: number): Prisma.IntroductionWhereInput {
  return { status: 'FORWARDED', forwardedAt: { lte: new Date(now.getTime() - stepDays * DAY_MS) } };
}

/**
 * The status the requester's view is made from at `now`: FORWARDED while a decline is hidden,
 * TARGET_EXPIRED once the target's step ran out (before the job closes it).
 */
export function requesterStatus(intro: OutcomeFacts, now: Date, stepDays: number): IntroductionStatus {
  if (declineHiddenFromRequester(intro, now, stepDays)) return 'FORWARDED';
  return lapsedBeforeItsJob(intro, now, stepDays) ? 'TARGET_EXPIRED' : intro.status;
}

/** The same rule as a Prisma filter on Introduction: hidden declines (the requester reads them as open). */
export function declineHiddenWhere(now: Date, stepDays: number): Prisma.IntroductionWhereInput {
  return {
    status: { in: [...TARGET_STEP_HIDES_DECLINE] },
    forwardedAt: { gt: new Date(now.getTime() - stepDays * DAY_MS) },
  };
}

/** The requester's introductions still open to them at `now` (their `open: true` list). */
export function requesterOpenWhere(now: Date, stepDays: number): Prisma.IntroductionWhereInput {
  return {
    OR: [
      { status: { in: [...OPEN_STATUSES] }, NOT: lapsedBeforeItsJobWhere(now, stepDays) },
      declineHiddenWhere(now, stepDays),
    ],
  };
}

/** The requester's introductions closed to them at `now` (their `open: false` list). */
export function requesterClosedWhere(now: Date, stepDays: number): Prisma.IntroductionWhereInput {
  return { NOT: requesterOpenWhere(now, stepDays) };
}
