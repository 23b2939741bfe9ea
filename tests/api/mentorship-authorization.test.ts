import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isObjectType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, type UntypedData } from '../support/graphql.js';
import {
  agreementInput,
  MENTORSHIP_RESULT,
  mentorProfileInput,
  proposeAgreement,
  requestMentorship,
} from '../support/mentorship.js';
import {
  ACTORS,
  type Actor,
  activeOfPair,
  buildWorld,
  goalInput,
  makeCheckIn,
  makeGoal,
  REVIEW,
  rowId,
  type World,
} from '../support/mentorship-world.js';
import { repoRoot } from '../support/paths.js';
import { startServer, type TestServer } from '../support/server.js';

// Who sees and does what in mentorship, as two tables: every actor (the mentee, the mentor, another
// member of the program, a program admin, a member banned from the program, signed out) against
// every field, node, list and mutation of the module, on one world (support/mentorship-world.ts).
// A mentorship and everything in it is its two members' only: for anyone else it does not exist
// (null, NOT_FOUND). A private note is its author's alone on every path. Program admins get
// aggregates and their program's pairings, never a mentorship, its goals, check-ins or feedback.
// A refused mutation stores nothing. Live events and notifications: mentorship-authorization-live.

let server: TestServer;
let url: string;
let w: World;
let progressCardId: string;
const db = () => server.app.services.db;
const who = (actor: Actor) => (actor === 'signedOut' ? null : w.people[actor]);

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  w = await buildWorld(url);
  const update = await db().goalUpdate.findFirstOrThrow({
    where: { goalId: rowId(w.goals.inProgress), messageId: { not: null } },
  });
  progressCardId = Buffer.from(`Message:${update.messageId}`).toString('base64');
});
afterAll(async () => {
  await server?.stop();
});

// ── the read table ────────────────────────────────────────────────────────

/** What a node(id) answers for someone who may not see it. */
const HIDDEN = 'hidden';
const SIGNED_IN: Actor[] = ['other', 'admin', 'banned', 'mentee', 'mentor'];
const PAIR: Actor[] = ['mentee', 'mentor'];

/** `yes` for these actors, `no` for the rest. */
function only(actors: readonly Actor[], yes: unknown, no: unknown = HIDDEN): Record<Actor, unknown> {
  return Object.fromEntries(ACTORS.map((actor) => [actor, actors.includes(actor) ? yes : no])) as Record<
    Actor,
    unknown
  >;
}
function each(values: Partial<Record<Actor, unknown>>, rest: unknown = HIDDEN): Record<Actor, unknown> {
  return Object.fromEntries(ACTORS.map((actor) => [actor, actor in values ? values[actor] : rest])) as Record<
    Actor,
    unknown
  >;
}

interface Answer {
  data: UntypedData;
  codes: string[];
}
interface ReadRow {
  name: string;
  query: string;
  vars: () => Record<string, unknown>;
  pick: (answer: Answer) => unknown;
  expected: () => Record<Actor, unknown>;
}

const NODE = (selection: string) => `query ($id: ID!) { node(id: $id) { id ${selection} } }`;
/** node(id) → HIDDEN when null, else `value(node)`. */
const onNode =
  (value: (node: UntypedData) => unknown = (node) => node.id) =>
  ({ data }: Answer) =>
    data.node == null ? HIDDEN : value(data.node);
const GROUP = (selection: string) => `query ($slug: String!) { group(slug: $slug) { id ${selection} } }`;
const NO_GROUP = 'no group';
const onGroup =
  (value: (group: UntypedData) => unknown) =>
  ({ data }: Answer) =>
    data.group == null ? NO_GROUP : value(data.group);
const NO_VIEWER = 'no viewer';
const onViewer =
  (value: (viewer: UntypedData) => unknown) =>
  ({ data }: Answer) =>
    data.viewer == null ? NO_VIEWER : value(data.viewer);
const ids = (list: Array<{ id: string }>) => list.map((item) => item.id).sort();
const errorOr = (value: (data: UntypedData) => unknown) => (answer: Answer) =>
  answer.codes.length > 0 ? answer.codes[0] : value(answer.data);

const READS: ReadRow[] = [
  // Mentor profiles and mentee needs.
  {
    name: 'node(MentorProfile)',
    query: NODE(''),
    vars: () => ({ id: w.mentorProfileId }),
    pick: onNode(),
    expected: () => only(SIGNED_IN, w.mentorProfileId),
  },
  {
    name: 'Person.mentorProfile.capacity (SHARED_GROUPS)',
    query: NODE('... on Person { mentorProfile { capacity } }'),
    vars: () => ({ id: w.people.mentor.personId }),
    pick: onNode((person) => person.mentorProfile?.capacity ?? null),
    expected: () => each({ mentee: 3, mentor: 3, other: 3, admin: 3, banned: null }),
  },
  {
    name: 'MentorProfile.visibility',
    query: NODE('... on MentorProfile { visibility { capacity } }'),
    vars: () => ({ id: w.mentorProfileId }),
    pick: onNode((profile) => profile.visibility?.capacity ?? null),
    expected: () => each({ mentor: 'SHARED_GROUPS', mentee: null, other: null, admin: null, banned: null }),
  },
  {
    name: 'Viewer.mentorProfile',
    query: '{ viewer { mentorProfile { id } } }',
    vars: () => ({}),
    pick: onViewer((viewer) => viewer.mentorProfile?.id ?? null),
    expected: () =>
      each({ mentor: w.mentorProfileId, mentee: null, other: null, admin: null, banned: null }, NO_VIEWER),
  },
  {
    name: 'Viewer.menteeNeeds',
    query: '{ viewer { menteeNeeds { goals } } }',
    vars: () => ({}),
    pick: onViewer((viewer) => viewer.menteeNeeds?.goals ?? null),
    expected: () =>
      each(
        { mentee: 'Lead the frontend of my team.', mentor: null, other: null, admin: null, banned: null },
        NO_VIEWER,
      ),
  },
  // Suggestions.
  {
    name: 'mentorSuggestions',
    query: '{ mentorSuggestions { score } }',
    vars: () => ({}),
    pick: errorOr((data) => Array.isArray(data.mentorSuggestions)),
    expected: () => each({ signedOut: 'UNAUTHENTICATED' }, true),
  },
  {
    name: 'mentorSuggestions(groupId) — members of the group only',
    query: 'query ($id: ID!) { mentorSuggestions(groupId: $id) { score } }',
    vars: () => ({ id: w.group.id }),
    pick: errorOr((data) => Array.isArray(data.mentorSuggestions)),
    expected: () => each({ signedOut: 'UNAUTHENTICATED', banned: 'NOT_FOUND' }, true),
  },
  {
    name: 'Group.mentorSuggestionsFor(the mentee)',
    query: GROUP('mentorSuggestionsFor(memberId: $member) { mentor { id } reasons { kind text } }').replace(
      '($slug: String!)',
      '($slug: String!, $member: ID!)',
    ),
    vars: () => ({ slug: w.group.slug, member: w.people.mentee.personId }),
    pick: onGroup((group) => (Array.isArray(group.mentorSuggestionsFor) ? 'list' : group.mentorSuggestionsFor)),
    expected: () => each({ admin: 'list', signedOut: NO_GROUP }, null),
  },
  {
    name: 'Group.mentorSuggestionsFor(the banned member) — members only',
    query: GROUP('mentorSuggestionsFor(memberId: $member) { score }').replace(
      '($slug: String!)',
      '($slug: String!, $member: ID!)',
    ),
    vars: () => ({ slug: w.group.slug, member: w.people.banned.personId }),
    pick: onGroup((group) => group.mentorSuggestionsFor),
    expected: () => each({ signedOut: NO_GROUP }, null),
  },
  {
    name: 'Group.mentorshipMetrics',
    query: GROUP(
      'mentorshipMetrics(from: "2025-01-01T00:00:00Z", to: "2029-01-01T00:00:00Z", bucket: MONTH) { bucket }',
    ),
    vars: () => ({ slug: w.group.slug }),
    pick: onGroup((group) => group.mentorshipMetrics?.bucket ?? null),
    expected: () => each({ admin: 'MONTH', signedOut: NO_GROUP }, null),
  },
  // Requests.
  {
    name: 'Group.mentorshipPairings',
    query: GROUP('mentorshipPairings { id }'),
    vars: () => ({ slug: w.group.slug }),
    pick: onGroup((group) => ids(group.mentorshipPairings)),
    expected: () =>
      each({
        admin: [w.active.requestId, w.pendingPairing].sort(),
        mentee: [w.active.requestId],
        mentor: [w.active.requestId],
        other: [],
        banned: [],
        signedOut: NO_GROUP,
      }),
  },
  {
    name: 'node(MentorshipRequest) — the accepted program pairing',
    query: NODE(''),
    vars: () => ({ id: w.active.requestId }),
    pick: onNode(),
    expected: () => only(['mentee', 'mentor', 'admin'], w.active.requestId),
  },
  {
    name: 'MentorshipRequest.mentorship and viewerRole — the admin sees the pairing, not the mentorship',
    query: NODE('... on MentorshipRequest { viewerRole mentorship { id } }'),
    vars: () => ({ id: w.active.requestId }),
    pick: onNode((request) => [request.viewerRole, request.mentorship?.id ?? null]),
    expected: () => each({ mentee: ['MENTEE', w.active.id], mentor: ['MENTOR', w.active.id], admin: [null, null] }),
  },
  {
    name: 'MentorshipRequest.goals of a pairing — the mentee’s needs, not for the admin who paired them',
    query: NODE('... on MentorshipRequest { message goals }'),
    vars: () => ({ id: w.active.requestId }),
    pick: onNode((request) => [request.message, request.goals]),
    expected: () =>
      each({
        mentee: ['You two fit.', 'Lead the frontend of my team.'],
        mentor: ['You two fit.', 'Lead the frontend of my team.'],
        admin: ['You two fit.', ''],
      }),
  },
  {
    name: 'node(MentorshipRequest) — the mentee’s own request tagged with the program',
    query: NODE('... on MentorshipRequest { message }'),
    vars: () => ({ id: w.ended.requestId }),
    pick: onNode(),
    expected: () => only(PAIR, w.ended.requestId),
  },
  {
    name: 'node(MentorshipRequest) — pending, the mentee’s to mentor2',
    query: NODE('... on MentorshipRequest { status viewerCanWithdraw }'),
    vars: () => ({ id: w.pending }),
    pick: onNode((request) => [request.status, request.viewerCanWithdraw]),
    expected: () => only(['mentee'], ['PENDING', true]),
  },
  {
    name: 'node(MentorshipRequest) — a pending pairing of two others: the admin sees it, cannot answer it',
    query: NODE('... on MentorshipRequest { viewerCanAccept viewerCanDecline viewerCanWithdraw }'),
    vars: () => ({ id: w.pendingPairing }),
    pick: onNode((request) => [request.viewerCanAccept, request.viewerCanDecline, request.viewerCanWithdraw]),
    expected: () => only(['admin'], [false, false, false]),
  },
  {
    name: 'Viewer.mentorshipRequests(SENT)',
    query: '{ viewer { mentorshipRequests(direction: SENT) { id } } }',
    vars: () => ({}),
    pick: onViewer((viewer) => ids(viewer.mentorshipRequests)),
    expected: () => each({ mentee: [w.ended.requestId, w.pending].sort(), signedOut: NO_VIEWER }, []),
  },
  {
    name: 'Viewer.mentorshipRequests(RECEIVED)',
    query: '{ viewer { mentorshipRequests(direction: RECEIVED) { id } } }',
    vars: () => ({}),
    pick: onViewer((viewer) => ids(viewer.mentorshipRequests)),
    expected: () =>
      each(
        {
          mentee: [w.active.requestId],
          mentor: [w.active.requestId, w.ended.requestId].sort(),
          signedOut: NO_VIEWER,
        },
        [],
      ),
  },
  // Mentorships and their agreements.
  {
    name: 'node(Mentorship) — active',
    query: NODE('... on Mentorship { status viewerRole group { id } }'),
    vars: () => ({ id: w.active.id }),
    pick: onNode((m) => [m.status, m.viewerRole, m.group?.id]),
    expected: () => each({ mentee: ['ACTIVE', 'MENTEE', w.group.id], mentor: ['ACTIVE', 'MENTOR', w.group.id] }),
  },
  {
    name: 'node(Mentorship) — ended',
    query: NODE('... on Mentorship { status }'),
    vars: () => ({ id: w.ended.id }),
    pick: onNode((m) => m.status),
    expected: () => only(PAIR, 'ENDED'),
  },
  {
    name: 'Viewer.mentorships',
    query: '{ viewer { mentorships { id } } }',
    vars: () => ({}),
    pick: onViewer((viewer) => ids(viewer.mentorships)),
    expected: () =>
      each(
        { mentee: [w.active.id, w.ended.id].sort(), mentor: [w.active.id, w.ended.id].sort(), signedOut: NO_VIEWER },
        [],
      ),
  },
  {
    name: 'Mentorship.agreement, pendingAgreement, agreements',
    query: NODE('... on Mentorship { agreement { version } pendingAgreement { version } agreements { version } }'),
    vars: () => ({ id: w.active.id }),
    pick: onNode((m) => [
      m.agreement?.version,
      m.pendingAgreement?.version,
      m.agreements.map((a: UntypedData) => a.version),
    ]),
    expected: () => only(PAIR, [1, 2, [2, 1]]),
  },
  {
    name: 'node(MentorshipAgreement) — in force',
    query: NODE('... on MentorshipAgreement { status }'),
    vars: () => ({ id: w.agreement.accepted }),
    pick: onNode((a) => a.status),
    expected: () => only(PAIR, 'ACCEPTED'),
  },
  {
    name: 'node(MentorshipAgreement) — the pending version, viewerCanAccept',
    query: NODE('... on MentorshipAgreement { status viewerCanAccept }'),
    vars: () => ({ id: w.agreement.pending }),
    pick: onNode((a) => [a.status, a.viewerCanAccept]),
    expected: () => each({ mentee: ['PROPOSED', false], mentor: ['PROPOSED', true] }),
  },
  // The conversation.
  {
    name: 'Mentorship.conversation',
    query: NODE('... on Mentorship { conversation { id } }'),
    vars: () => ({ id: w.active.id }),
    pick: onNode((m) => m.conversation?.id ?? null),
    expected: () => only(PAIR, w.active.conversationId),
  },
  {
    name: 'node(Conversation) — the MENTORSHIP conversation and its messages',
    query: NODE('... on Conversation { kind messages(last: 50) { edges { node { body } } } }'),
    vars: () => ({ id: w.active.conversationId }),
    pick: onNode((c) => [c.kind, c.messages.edges.length > 0]),
    expected: () => only(PAIR, ['MENTORSHIP', true]),
  },
  {
    name: 'node(Conversation) — the ended mentorship’s, still readable by the two',
    query: NODE('... on Conversation { kind }'),
    vars: () => ({ id: w.ended.conversationId }),
    pick: onNode((c) => c.kind),
    expected: () => only(PAIR, 'MENTORSHIP'),
  },
  {
    name: 'searchMessages — the goal cards of the mentorship conversation',
    query: 'query ($q: String!) { searchMessages(query: $q, first: 50) { edges { node { conversation { id } } } } }',
    vars: () => ({ q: w.tag }),
    pick: errorOr((data) =>
      data.searchMessages.edges.some((e: UntypedData) => e.node.conversation.id === w.active.conversationId),
    ),
    expected: () => each({ mentee: true, mentor: true, signedOut: 'UNAUTHENTICATED' }, false),
  },
  // Goals.
  {
    name: 'Mentorship.goals',
    query: NODE('... on Mentorship { goals { id } }'),
    vars: () => ({ id: w.active.id }),
    pick: onNode((m) => ids(m.goals)),
    expected: () => only(PAIR, Object.values(w.goals).sort()),
  },
  {
    name: 'node(Goal) — in progress, with its updates',
    query: NODE('... on Goal { status viewerCanUpdate updates { value } mentorship { id } }'),
    vars: () => ({ id: w.goals.inProgress }),
    pick: onNode((g) => [g.status, g.viewerCanUpdate, g.updates.map((u: UntypedData) => u.value), g.mentorship.id]),
    expected: () => only(PAIR, ['ACTIVE', true, [1], w.active.id]),
  },
  {
    name: 'node(Message) — a goal’s progress card in the mentorship conversation',
    query: NODE('... on Message { body }'),
    vars: () => ({ id: progressCardId }),
    pick: onNode(),
    expected: () => only(PAIR, progressCardId),
  },
  {
    name: 'node(Goal) — completed, viewerCanCelebrate',
    query: NODE('... on Goal { status viewerCanCelebrate }'),
    vars: () => ({ id: w.goals.completed }),
    pick: onNode((g) => [g.status, g.viewerCanCelebrate]),
    expected: () => each({ mentee: ['COMPLETED', true], mentor: ['COMPLETED', false] }),
  },
  // Check-ins, private notes, feedback.
  {
    name: 'node(CheckIn) — shared notes and next steps',
    query: NODE('... on CheckIn { sharedNotes nextSteps mentorship { id } }'),
    vars: () => ({ id: w.checkIn }),
    pick: onNode((c) => [c.sharedNotes, c.nextSteps, c.mentorship.id]),
    expected: () => only(PAIR, ['We talked about talks.', 'Submit a CFP.', w.active.id]),
  },
  {
    name: 'CheckIn.privateNote through node(id) — its author’s only',
    query: NODE('... on CheckIn { privateNote }'),
    vars: () => ({ id: w.checkIn }),
    pick: onNode((c) => c.privateNote),
    expected: () => each({ mentee: w.notes.mentee, mentor: w.notes.mentor }),
  },
  {
    name: 'CheckIn.privateNote through Mentorship.checkIns',
    query: NODE('... on Mentorship { checkIns { privateNote } }'),
    vars: () => ({ id: w.active.id }),
    pick: onNode((m) => m.checkIns.map((c: UntypedData) => c.privateNote)),
    expected: () => each({ mentee: [w.notes.mentee], mentor: [w.notes.mentor] }),
  },
  {
    name: 'CheckIn.privateNote through Viewer.mentorships',
    query: '{ viewer { mentorships { checkIns { privateNote } } } }',
    vars: () => ({}),
    pick: onViewer((viewer) =>
      viewer.mentorships.flatMap((m: UntypedData) => m.checkIns.map((c: UntypedData) => c.privateNote)),
    ),
    expected: () => each({ mentee: [w.notes.mentee], mentor: [w.notes.mentor], signedOut: NO_VIEWER }, []),
  },
  {
    name: 'CheckIn.feedback — each side sees both',
    query: NODE('... on CheckIn { feedback { rating byViewer author { id } } viewerMayGiveFeedback }'),
    vars: () => ({ id: w.checkIn }),
    pick: onNode((c) => [
      c.feedback.map((f: UntypedData) => f.byViewer).sort(),
      c.feedback.length,
      c.viewerMayGiveFeedback,
    ]),
    expected: () => only(PAIR, [[false, true], 2, false]),
  },
  // Ending.
  {
    name: 'Mentorship.reviews of the ended mentorship',
    query: NODE('... on Mentorship { reviews { outcome byViewer } viewerMayReview endedBy { id } }'),
    vars: () => ({ id: w.ended.id }),
    pick: onNode((m) => [m.reviews.map((r: UntypedData) => r.outcome), m.viewerMayReview, m.endedBy.id]),
    expected: () => only(PAIR, [['GOALS_MET', 'PARTLY_MET'], false, w.people.mentee.personId]),
  },
  // Achievements.
  {
    name: 'node(Achievement) — ONLY_ME',
    query: NODE('... on Achievement { title }'),
    vars: () => ({ id: w.achievements.onlyMe }),
    pick: onNode(),
    expected: () => only(['mentee'], w.achievements.onlyMe),
  },
  {
    name: 'node(Achievement) — SHARED_GROUPS: groupmates (the banned member no longer is one)',
    query: NODE('... on Achievement { title }'),
    vars: () => ({ id: w.achievements.shared }),
    pick: onNode(),
    expected: () => only(['mentee', 'mentor', 'other', 'admin'], w.achievements.shared),
  },
  {
    name: 'Achievement.visibility and Achievement.goal',
    query: NODE('... on Achievement { visibility goal { id } }'),
    vars: () => ({ id: w.achievements.shared }),
    pick: onNode((a) => [a.visibility, a.goal?.id ?? null]),
    expected: () =>
      each({
        mentee: ['SHARED_GROUPS', w.goals.shared],
        mentor: [null, w.goals.shared],
        other: [null, null],
        admin: [null, null],
      }),
  },
  {
    name: 'Person.achievements',
    query: NODE('... on Person { achievements { id } }'),
    vars: () => ({ id: w.people.mentee.personId }),
    pick: ({ data }) => (data.node == null ? HIDDEN : ids(data.node.achievements)),
    expected: () =>
      each({
        mentee: [w.achievements.onlyMe, w.achievements.shared].sort(),
        mentor: [w.achievements.shared],
        other: [w.achievements.shared],
        admin: [w.achievements.shared],
        banned: [],
      }),
  },
  {
    name: 'Goal.achievement — the badge as its visibility says, on this path too',
    query: NODE('... on Goal { achievement { id } }'),
    vars: () => ({ id: w.goals.onlyMe }),
    pick: onNode((g) => g.achievement?.id ?? null),
    expected: () => each({ mentee: w.achievements.onlyMe, mentor: null }),
  },
];

describe.each(READS)('$name', (row) => {
  it.each(ACTORS)('as %s', async (actor) => {
    const actorMember = who(actor);
    const response = await gql(url, row.query, row.vars(), actorMember ? { token: actorMember.token } : {});
    const codes = (response.body.errors ?? []).map((e) => String(e.extensions?.code ?? e.message));
    // A signed-out Person lookup belongs to the people module (it may answer with an error).
    const answer = { data: response.body.data ?? {}, codes };
    const got = row.pick(answer);
    if (!(actor === 'signedOut' && got === HIDDEN)) {
      const allowed = typeof row.expected()[actor] === 'string' ? [row.expected()[actor]] : [];
      for (const code of codes) expect(allowed, JSON.stringify(response.body.errors)).toContain(code);
    }
    expect(got).toEqual(row.expected()[actor]);
  });
});

describe('program metrics are aggregates only', () => {
  it('no field of ProgramMetrics reaches a person, a mentorship or anything in one', () => {
    const schema = buildSchema(fs.readFileSync(path.join(repoRoot, 'server/schema.graphql'), 'utf8'));
    const reached = new Set<string>();
    const walk = (type: GraphQLNamedType) => {
      if (reached.has(type.name)) return;
      reached.add(type.name);
      if (!isObjectType(type)) return;
      for (const field of Object.values(type.getFields())) walk(getNamedType(field.type));
    };
    walk(schema.getType('ProgramMetrics')!);
    const objects = [...reached].filter((name) => isObjectType(schema.getType(name)));
    expect(objects.sort()).toEqual(['ProgramMetrics', 'ProgramMetricsPeriod']);
  });
});

// ── the mutation table ────────────────────────────────────────────────────

type Outcome = string;
interface MutationRow {
  name: string;
  mutation: string;
  input: () => Record<string, unknown> | null;
  expected: Record<Actor, Outcome>;
  /** For an actor expected to succeed: a fresh target, so the world stays as built for the others. */
  fresh?: (actor: Actor) => Promise<Record<string, unknown>>;
  /** What a refusal must leave as it was (read from the database). */
  stored: () => Promise<unknown>;
  /** Checked after a success (the answer's selection below). */
  selection?: string;
  after?: (actor: Actor, result: UntypedData, input: Record<string, unknown>) => Promise<void>;
}

/** Non-members of the mentorship: NOT_FOUND; signed out: UNAUTHENTICATED; the pair as given. */
function pairOnly(mentee: Outcome, mentor: Outcome = mentee): Record<Actor, Outcome> {
  return { signedOut: 'UNAUTHENTICATED', other: 'NOT_FOUND', admin: 'NOT_FOUND', banned: 'NOT_FOUND', mentee, mentor };
}

const M = () => w.active.id;
const agreementOf = (mentorshipId: string) => agreementInput(mentorshipId, { cadence: 'WEEKLY', sessionMinutes: 30 });
const counts = async () => {
  const mentorshipId = rowId(M());
  const [goals, updates, checkIns, notes, feedback, achievements, agreements, reviews, messages] = await Promise.all([
    db().goal.findMany({ where: { mentorshipId }, orderBy: { id: 'asc' } }),
    db().goalUpdate.count({ where: { goal: { mentorshipId } } }),
    db().checkIn.findMany({ where: { mentorshipId }, orderBy: { id: 'asc' } }),
    db().checkInPrivateNote.findMany({ orderBy: [{ checkInId: 'asc' }, { authorId: 'asc' }] }),
    db().checkInFeedback.count(),
    db().achievement.count(),
    db().mentorshipAgreement.findMany({ where: { mentorshipId }, orderBy: { version: 'asc' } }),
    db().mentorshipReview.count(),
    db().message.count({ where: { conversationId: rowId(w.active.conversationId) } }),
  ]);
  return { goals, updates, checkIns, notes, feedback, achievements, agreements, reviews, messages };
};
const requests = () =>
  db().mentorshipRequest.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, status: true, mentorAgreedAt: true, menteeAgreedAt: true },
  });
const mentorships = () => db().mentorship.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } });

/** A goal of the active mentorship, made by the mentee (for an actor that will change it). */
const freshGoal = async (complete = false) => ({
  goalId: await makeGoal(url, w.people.mentee, await activeOfPair(url, w, db()), `Fresh ${Date.now()}`, complete),
});

const MUTATIONS: MutationRow[] = [
  {
    name: 'requestMentorship (the mentor, tagged with the program)',
    mutation: 'requestMentorship',
    input: () => ({ mentorId: w.people.mentor.personId, message: 'Hi', goals: 'Grow', groupId: w.group.id }),
    expected: {
      signedOut: 'UNAUTHENTICATED',
      other: 'OK',
      admin: 'OK',
      // No longer a member: the program is not a group they share with the mentor.
      banned: 'VALIDATION',
      mentee: 'ALREADY_MENTORED',
      mentor: 'VALIDATION',
    },
    stored: requests,
  },
  {
    name: 'acceptMentorshipRequest (pending, the mentee’s to mentor2)',
    mutation: 'acceptMentorshipRequest',
    input: () => ({ requestId: w.pending }),
    expected: pairOnly('FORBIDDEN', 'NOT_FOUND'),
    stored: requests,
  },
  {
    name: 'acceptMentorshipRequest (a pending pairing of two others)',
    mutation: 'acceptMentorshipRequest',
    input: () => ({ requestId: w.pendingPairing }),
    expected: { ...pairOnly('NOT_FOUND'), admin: 'FORBIDDEN' },
    stored: requests,
  },
  {
    name: 'declineMentorshipRequest (pending, the mentee’s to mentor2)',
    mutation: 'declineMentorshipRequest',
    input: () => ({ requestId: w.pending, note: 'No' }),
    expected: pairOnly('FORBIDDEN', 'NOT_FOUND'),
    stored: requests,
  },
  {
    name: 'declineMentorshipRequest (a pending pairing of two others)',
    mutation: 'declineMentorshipRequest',
    input: () => ({ requestId: w.pendingPairing }),
    expected: { ...pairOnly('NOT_FOUND'), admin: 'FORBIDDEN' },
    stored: requests,
  },
  {
    name: 'withdrawMentorshipRequest (pending, the mentee’s to mentor2)',
    mutation: 'withdrawMentorshipRequest',
    input: () => ({ requestId: w.pending }),
    expected: pairOnly('OK', 'NOT_FOUND'),
    fresh: async () => ({ requestId: await requestMentorship(url, w.people.mentee, w.people.mentor3) }),
    stored: requests,
  },
  {
    name: 'withdrawMentorshipRequest (a pending pairing of two others)',
    mutation: 'withdrawMentorshipRequest',
    input: () => ({ requestId: w.pendingPairing }),
    expected: { ...pairOnly('NOT_FOUND'), admin: 'FORBIDDEN' },
    stored: requests,
  },
  {
    name: 'proposeMentorshipPairing (mentor2 with member3’s groupmate, in the program)',
    mutation: 'proposeMentorshipPairing',
    input: () => ({
      groupId: w.group.id,
      mentorId: w.people.mentor3.personId,
      menteeId: w.people.member3.personId,
      note: 'Pair',
    }),
    expected: {
      signedOut: 'UNAUTHENTICATED',
      other: 'FORBIDDEN',
      admin: 'OK',
      banned: 'NOT_FOUND',
      mentee: 'FORBIDDEN',
      mentor: 'FORBIDDEN',
    },
    stored: requests,
  },
  {
    name: 'acceptMentorshipAgreement (the pending version, proposed by the mentee)',
    mutation: 'acceptMentorshipAgreement',
    input: () => ({ agreementId: w.agreement.pending }),
    expected: pairOnly('FORBIDDEN', 'OK'),
    fresh: async () => ({ agreementId: await proposeAgreement(url, w.people.mentee, M(), { sessionMinutes: 50 }) }),
    stored: counts,
  },
  {
    name: 'proposeMentorshipAgreement',
    mutation: 'proposeMentorshipAgreement',
    input: () => agreementOf(M()),
    expected: pairOnly('OK'),
    stored: counts,
  },
  {
    name: 'createGoal on the ended mentorship',
    mutation: 'createGoal',
    input: () => goalInput(w.ended.id, { title: 'Too late' }),
    expected: pairOnly('MENTORSHIP_ENDED'),
    stored: () => db().goal.count({ where: { mentorshipId: rowId(w.ended.id) } }),
  },
  {
    name: 'recordCheckIn on the ended mentorship',
    mutation: 'recordCheckIn',
    input: () => ({ mentorshipId: w.ended.id, heldAt: new Date().toISOString(), privateNote: 'late' }),
    expected: pairOnly('MENTORSHIP_ENDED'),
    stored: () => db().checkIn.count({ where: { mentorshipId: rowId(w.ended.id) } }),
  },
  {
    name: 'proposeMentorshipAgreement on the ended mentorship',
    mutation: 'proposeMentorshipAgreement',
    input: () => agreementOf(w.ended.id),
    expected: pairOnly('MENTORSHIP_NOT_ACTIVE'),
    stored: () => db().mentorshipAgreement.count({ where: { mentorshipId: rowId(w.ended.id) } }),
  },
  {
    name: 'createGoal',
    mutation: 'createGoal',
    input: () => goalInput(M(), { title: 'Refused goal' }),
    expected: pairOnly('OK'),
    stored: counts,
  },
  {
    name: 'updateGoal',
    mutation: 'updateGoal',
    input: () => ({ goalId: w.goals.inProgress, whyItMatters: 'Changed' }),
    expected: pairOnly('OK'),
    fresh: () => freshGoal(),
    stored: counts,
  },
  {
    name: 'recordGoalProgress',
    mutation: 'recordGoalProgress',
    input: () => ({ goalId: w.goals.inProgress, value: 2, note: 'Two' }),
    expected: pairOnly('OK'),
    fresh: async () => ({ ...(await freshGoal()), value: 1 }),
    stored: counts,
  },
  {
    name: 'completeGoal',
    mutation: 'completeGoal',
    input: () => ({ goalId: w.goals.inProgress }),
    expected: pairOnly('OK'),
    fresh: () => freshGoal(),
    stored: counts,
  },
  {
    name: 'dropGoal',
    mutation: 'dropGoal',
    input: () => ({ goalId: w.goals.inProgress }),
    expected: pairOnly('OK'),
    fresh: () => freshGoal(),
    stored: counts,
  },
  {
    name: 'celebrateGoal (completed, not celebrated yet; a card in the program’s #general)',
    mutation: 'celebrateGoal',
    input: () => ({ goalId: w.goals.completed, visibility: 'MEMBERS', channelId: w.group.general }),
    expected: pairOnly('OK', 'FORBIDDEN'),
    fresh: async () => ({ ...(await freshGoal(true)), visibility: 'MEMBERS', channelId: w.group.general }),
    stored: async () => [
      await counts(),
      await db().message.count({ where: { conversationId: rowId(w.group.general) } }),
    ],
  },
  {
    name: 'recordCheckIn',
    mutation: 'recordCheckIn',
    input: () => ({ mentorshipId: M(), heldAt: new Date().toISOString(), privateNote: 'refused note' }),
    expected: pairOnly('OK'),
    stored: counts,
    selection: '... on CheckInPayload { checkIn { privateNote } }',
    after: async (_actor, result, input) => expect(result.checkIn.privateNote).toBe(input.privateNote),
  },
  {
    name: 'updateCheckIn (shared notes and one’s own private note)',
    mutation: 'updateCheckIn',
    input: () => ({ checkInId: w.checkIn, sharedNotes: 'Changed', privateNote: 'overwritten?' }),
    expected: pairOnly('OK'),
    fresh: async (actor) => ({
      checkInId: await makeCheckIn(url, w.people.mentee, M(), `Fresh mentee note ${actor}`),
      sharedNotes: 'Changed',
      privateNote: `Fresh ${actor} note`,
    }),
    stored: counts,
    selection: '... on CheckInPayload { checkIn { privateNote } }',
    after: async (actor, result, input) => {
      // The answer carries the writer's own note; the other side's stays theirs and as it was.
      expect(result.checkIn.privateNote).toBe(input.privateNote);
      const notes = await db().checkInPrivateNote.findMany({ where: { checkInId: rowId(String(input.checkInId)) } });
      const byAuthor = Object.fromEntries(notes.map((n: { authorId: string; body: string }) => [n.authorId, n.body]));
      expect(byAuthor).toEqual(
        actor === 'mentee'
          ? { [rowId(w.people.mentee.id)]: `Fresh mentee note` }
          : {
              [rowId(w.people.mentee.id)]: `Fresh mentee note ${actor}`,
              [rowId(w.people.mentor.id)]: 'Fresh mentor note',
            },
      );
    },
  },
  {
    name: 'giveCheckInFeedback',
    mutation: 'giveCheckInFeedback',
    input: () => ({ checkInId: w.checkIn, rating: 1, pairingWorking: false }),
    expected: pairOnly('OK'),
    fresh: async () => ({
      checkInId: await makeCheckIn(url, w.people.mentee, M()),
      rating: 5,
      pairingWorking: true,
    }),
    stored: counts,
  },
  {
    name: 'sendMessage into the mentorship conversation',
    mutation: 'sendMessage',
    input: () => ({ conversationId: w.active.conversationId, clientId: `authz-${Date.now()}`, body: 'Hello' }),
    expected: pairOnly('OK'),
    stored: counts,
  },
  {
    name: 'sendMessage into the ended mentorship’s conversation',
    mutation: 'sendMessage',
    input: () => ({ conversationId: w.ended.conversationId, clientId: `authz-${Date.now()}`, body: 'Hello' }),
    expected: pairOnly('OK'),
    stored: () => db().message.count({ where: { conversationId: rowId(w.ended.conversationId) } }),
  },
  {
    name: 'cancelMyPendingRequests (each their own only)',
    mutation: 'cancelMyPendingRequests',
    input: () => null,
    expected: { signedOut: 'UNAUTHENTICATED', other: 'OK', admin: 'OK', banned: 'OK', mentee: 'OK', mentor: 'OK' },
    stored: requests,
    after: async (actor) => {
      const [pending, pairing] = await Promise.all([
        db().mentorshipRequest.findUniqueOrThrow({ where: { id: rowId(w.pending) } }),
        db().mentorshipRequest.findUniqueOrThrow({ where: { id: rowId(w.pendingPairing) } }),
      ]);
      // Only the mentee's own request closes (from then on); a pairing of others never.
      expect(pending.status).toBe(actor === 'mentee' || actor === 'mentor' ? 'CANCELLED' : 'PENDING');
      expect(pairing.status).toBe('PENDING');
    },
  },
  {
    name: 'pauseMentoring (one’s own mentor profile)',
    mutation: 'pauseMentoring',
    input: () => null,
    expected: pairOnly('NOT_FOUND', 'OK'),
    stored: () => db().mentorProfile.findMany({ orderBy: { userId: 'asc' } }),
  },
  {
    name: 'resumeMentoring (one’s own mentor profile)',
    mutation: 'resumeMentoring',
    input: () => null,
    expected: pairOnly('NOT_FOUND', 'OK'),
    stored: () => db().mentorProfile.findMany({ orderBy: { userId: 'asc' } }),
  },
  {
    name: 'saveMenteeNeeds (one’s own)',
    mutation: 'saveMenteeNeeds',
    input: () => ({ skills: [], goals: 'x', helpWanted: [], formats: [], timeZone: 'UTC', weeklyHours: [] }),
    expected: { signedOut: 'UNAUTHENTICATED', other: 'OK', admin: 'OK', banned: 'OK', mentee: 'OK', mentor: 'OK' },
    fresh: async (actor) => ({
      skills: [{ name: 'Go', wantedLevel: 'WORKING' }],
      goals: `Own goals of ${actor}`,
      helpWanted: ['CAREER_GUIDANCE'],
      formats: ['CHAT'],
      timeZone: 'UTC',
      weeklyHours: [],
    }),
    stored: () => db().menteeNeeds.findMany({ orderBy: { userId: 'asc' } }),
    after: async (actor) => {
      const needs = await db().menteeNeeds.findMany({ select: { userId: true, goals: true } });
      const mine = needs.filter((n: { goals: string }) => n.goals === `Own goals of ${actor}`);
      expect(mine.map((n: { userId: string }) => n.userId)).toEqual([rowId(who(actor)!.id)]);
    },
  },
  {
    name: 'endMentorship',
    mutation: 'endMentorship',
    input: () => ({ mentorshipId: M(), review: REVIEW }),
    expected: pairOnly('OK'),
    fresh: async () => ({ mentorshipId: await activeOfPair(url, w, db()), review: REVIEW }),
    stored: async () => [await counts(), await mentorships()],
  },
  {
    name: 'reviewMentorship (the ended mentorship, both reviewed already)',
    mutation: 'reviewMentorship',
    input: () => ({ mentorshipId: w.ended.id, review: REVIEW }),
    expected: pairOnly('REVIEW_ALREADY_GIVEN'),
    stored: async () => [
      await mentorships(),
      await db().mentorshipReview.findMany({ orderBy: [{ mentorshipId: 'asc' }, { authorId: 'asc' }] }),
    ],
  },
  {
    name: 'reviewMentorship (ended by the other side)',
    mutation: 'reviewMentorship',
    input: () => ({ mentorshipId: w.ended.id, review: REVIEW }),
    expected: pairOnly('OK'),
    fresh: async (actor) => {
      // A new mentorship of the pair that the other side ends: the actor's review is the second.
      const mentorshipId = await activeOfPair(url, w, db());
      const other = actor === 'mentee' ? w.people.mentor : w.people.mentee;
      const ended = await gql(
        url,
        `mutation ($input: EndMentorshipInput!) { endMentorship(input: $input) { ${MENTORSHIP_RESULT} } }`,
        { input: { mentorshipId, review: REVIEW } },
        { token: other.token },
      );
      expect(ended.body.data?.endMentorship.__typename).toBe('EndedMentorshipPayload');
      return { mentorshipId, review: REVIEW };
    },
    stored: async () => [
      await mentorships(),
      await db().mentorshipReview.findMany({ orderBy: [{ mentorshipId: 'asc' }, { authorId: 'asc' }] }),
    ],
  },
  {
    name: 'saveMentorProfile (one’s own; last, as it makes everyone a mentor)',
    mutation: 'saveMentorProfile',
    input: () => mentorProfileInput({ capacity: 9 }),
    expected: { signedOut: 'UNAUTHENTICATED', other: 'OK', admin: 'OK', banned: 'OK', mentee: 'OK', mentor: 'OK' },
    stored: () => db().mentorProfile.findMany({ orderBy: { userId: 'asc' } }),
    after: async (actor) => {
      const [own, mentors] = await Promise.all([
        db().mentorProfile.findUniqueOrThrow({ where: { userId: rowId(who(actor)!.id) } }),
        db().mentorProfile.findUniqueOrThrow({ where: { userId: rowId(w.people.mentor.id) } }),
      ]);
      expect(own.capacity).toBe(9);
      expect(mentors.capacity).toBe(actor === 'mentor' ? 9 : 3);
    },
  },
];

async function runMutation(actor: Actor, row: MutationRow, input: Record<string, unknown> | null) {
  const member = who(actor);
  const typeName = `${row.mutation[0]!.toUpperCase()}${row.mutation.slice(1)}Input`;
  const result = `{ __typename ... on Error { code text: message } ${row.selection ?? ''} }`;
  const document =
    input === null
      ? `mutation { ${row.mutation} ${result} }`
      : `mutation M($input: ${typeName}!) { ${row.mutation}(input: $input) ${result} }`;
  const response = await gql(url, document, input === null ? {} : { input }, member ? { token: member.token } : {});
  if (response.body.errors?.length) {
    return { outcome: String(response.body.errors[0]!.extensions?.code ?? response.body.errors[0]!.message), data: {} };
  }
  const data = response.body.data![row.mutation] as UntypedData;
  return { outcome: /Error$/.test(String(data.__typename)) ? String(data.code) : 'OK', data };
}

describe.each(MUTATIONS)('$name', (row) => {
  it.each(ACTORS)('as %s', async (actor) => {
    const expected = row.expected[actor];
    const input = expected === 'OK' && row.fresh ? await row.fresh(actor) : row.input();
    const before = expected === 'OK' ? null : await row.stored();
    const { outcome, data } = await runMutation(actor, row, input);
    expect(outcome, JSON.stringify(data)).toBe(expected);
    if (before !== null) expect(await row.stored(), 'a refusal stores nothing').toEqual(before);
    else await row.after?.(actor, data, input ?? {});
  });
});

describe('after every mutation above', () => {
  it('no private note reached a notification, a message or a card', async () => {
    const markers = [w.notes.mentee, w.notes.mentor, 'Fresh mentee note', 'Fresh mentor note'];
    const [notifications, messages] = await Promise.all([
      db().notification.findMany(),
      db().message.findMany({ select: { body: true, card: true } }),
    ]);
    const text = JSON.stringify([notifications, messages]);
    for (const marker of markers) expect(text).not.toContain(marker);
    // And nobody's notifications as read through the API (text, href) carry one either.
    for (const actor of SIGNED_IN) {
      const response = await gql(
        url,
        '{ viewer { notifications(first: 100) { edges { node { text href } } } } }',
        {},
        { token: who(actor)!.token },
      );
      const read = JSON.stringify(response.body.data);
      for (const marker of markers) expect(read).not.toContain(marker);
    }
  });
});
