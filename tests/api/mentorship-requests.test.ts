import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { publishMentorshipActivity } from '../../server/src/modules/mentorship/index.js';
import { backendFromEnv } from '../support/backend.js';
import { memberSocket, openStream, type Stream, warmUp } from '../support/chat.js';
import { gql, signUpMember, type Member, type UntypedData } from '../support/graphql.js';
import { personId, userIdOf } from '../support/groups.js';
import {
  acceptRequest,
  activeMentorship,
  makeMentor,
  mentorshipMutation,
  requestMentorship,
  rowIdOf,
} from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Mentorship requests over real HTTP (and the live stream over a real socket): asking with its
// limits (pending per mentee, one per pair, none while mentored, the mentor's pause, room and who
// may ask, blocks answered as "not found"), withdrawing, declining with a note, accepting (the
// mentorship and its MENTORSHIP conversation in one transaction, other requests left open unless
// the mentee closes them), capacity refused even for two acceptances at once, expiry by the job
// with the clock moved, a program admin's pairing both sides agree to, notifications, and
// mentorshipActivity reaching both sides. Every refusal is a typed result that stores nothing.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const DAY_MS = 24 * 60 * 60 * 1000;

const REQUEST = /* GraphQL */ `
  fragment Request on MentorshipRequest {
    id status origin message goals responseNote expiresAt respondedAt menteeAgreedAt mentorAgreedAt viewerRole
    viewerCanAccept viewerCanDecline viewerCanWithdraw
    mentee { id } mentor { id } group { id } proposedBy { id }
    mentorship { id status viewerRole group { id } mentor { id } mentee { id } conversation { id kind participants { id } } }
  }
`;
const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { __typename ... on MentorshipRequest { ...Request } ... on Mentorship { id mentorshipStatus: status } ... on Conversation { id } } } ${REQUEST}`;
const LISTS = /* GraphQL */ `
  query ($status: [MentorshipRequestStatus!]) {
    viewer {
      received: mentorshipRequests(direction: RECEIVED, status: $status) { ...Request }
      sent: mentorshipRequests(direction: SENT, status: $status) { ...Request }
      mentorships { id status viewerRole partner { id } }
    }
  }
  ${REQUEST}
`;
const NOTIFICATIONS = /* GraphQL */ `query { viewer { notifications(first: 20) { edges { node { kind text href } } } } }`;

async function run(who: Member | null, query: string, variables: Record<string, unknown> = {}): Promise<UntypedData> {
  const response = await gql(url(), query, variables, who ? { token: who.token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

const nodeAs = async (who: Member | null, id: string) => (await run(who, NODE, { id })).node as UntypedData | null;
const listsOf = async (who: Member, status?: string[]) => (await run(who, LISTS, { status })).viewer as UntypedData;
const kindsOf = async (who: Member) =>
  ((await run(who, NOTIFICATIONS)).viewer.notifications.edges as Array<{ node: { kind: string } }>).map(
    (edge) => edge.node.kind,
  );

function ask(mentee: Member, mentor: Member | string, input: Record<string, unknown> = {}) {
  return mentorshipMutation(
    url(),
    mentee,
    'requestMentorship',
    {
      mentorId: typeof mentor === 'string' ? mentor : personId(mentor),
      message: 'Could you help me?',
      goals: 'Learn to review code well.',
      ...input,
    },
    `... on MentorshipRequestPayload { request { ${ASK_FIELDS} } }`,
  );
}

// mentorshipMutation takes a selection, not fragments: spell the request's fields out.
const ASK_FIELDS =
  'id status origin message goals expiresAt viewerRole viewerCanAccept viewerCanWithdraw mentor { id } group { id } mentorship { id }';
const REQUEST_FIELDS =
  'id status responseNote menteeAgreedAt mentorAgreedAt mentorship { id group { id } conversation { id kind participants { id } } }';
const answer = (who: Member, name: string, input: Record<string, unknown>) =>
  mentorshipMutation(url(), who, name, input, `... on MentorshipRequestPayload { request { ${REQUEST_FIELDS} } }`);

async function member(name: string): Promise<Member> {
  return signUpMember(url(), { name: `${name} ${randomBytes(2).toString('hex')}` });
}

async function mentor(name: string, profile: Record<string, unknown> = {}): Promise<Member> {
  const made = await member(name);
  await makeMentor(url(), made, profile);
  return made;
}

async function group(kind: 'COMMUNITY' | 'PROGRAM', members: Array<[Member, 'OWNER' | 'ADMIN' | 'MEMBER']>) {
  const row = await db().group.create({
    data: { name: `${kind} group`, slug: `g-${randomBytes(4).toString('hex')}`, kind, visibility: 'PUBLIC' },
  });
  await db().membership.createMany({
    data: members.map(([who, role]) => ({ groupId: row.id, userId: userIdOf(who.id), role })),
  });
  return { rowId: row.id, id: Buffer.from(`Group:${row.id}`).toString('base64') };
}

const requestCount = () => db().mentorshipRequest.count();
const mailsTo = (who: Member) =>
  db().emailOutbox.count({ where: { toUserId: userIdOf(who.id), category: 'NOTIFICATION' } });
const jobKeys = async () => (await db().job.findMany({ select: { key: true } })).map((job) => job.key);

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => setClockOffset(0));

describe('asking for mentorship', () => {
  it('a mentee asks: both sides see the request, the mentor is told, nobody else sees it', async () => {
    const [ada, grace, stranger] = [await member('Ada'), await mentor('Grace'), await member('Stranger')];
    const result = await ask(ada, grace, { message: '  Could you help me?  ' });
    expect(result.__typename).toBe('MentorshipRequestPayload');
    const request = result.request;
    expect(request).toMatchObject({
      status: 'PENDING',
      origin: 'MENTEE',
      message: 'Could you help me?',
      viewerRole: 'MENTEE',
      viewerCanWithdraw: true,
      viewerCanAccept: false,
      mentorship: null,
    });
    // Expires after MENTORSHIP_REQUEST_TTL_DAYS (14).
    const ttl = Date.parse(request.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(13.9 * DAY_MS);
    expect(ttl).toBeLessThanOrEqual(14 * DAY_MS);

    const graceSees = await listsOf(grace);
    expect(graceSees.received.map((r: UntypedData) => r.id)).toEqual([request.id]);
    expect(graceSees.received[0]).toMatchObject({
      viewerRole: 'MENTOR',
      viewerCanAccept: true,
      viewerCanDecline: true,
    });
    expect(graceSees.sent).toEqual([]);
    expect((await listsOf(ada)).sent.map((r: UntypedData) => r.id)).toEqual([request.id]);
    expect(await kindsOf(grace)).toContain('MENTORSHIP_REQUEST_RECEIVED');
    // Emailed by default (a request needs an answer); the mentee, who acted, gets nothing.
    expect(await mailsTo(grace)).toBe(1);
    expect(await mailsTo(ada)).toBe(0);

    expect(await nodeAs(stranger, request.id)).toBeNull();
    expect(await nodeAs(null, request.id)).toBeNull();
    expect((await listsOf(stranger)).received).toEqual([]);
  });

  it('refuses what the rules forbid with typed errors, storing nothing', async () => {
    const ada = await member('Ada');
    const notMentor = await member('Not a mentor');
    const paused = await mentor('Paused', { accepting: false });
    const full = await mentor('Full', { capacity: 1 });
    await activeMentorship(url(), await member('Other mentee'), full, { mentorProfile: false });
    const grace = await mentor('Grace');
    const before = await requestCount();

    const self = await ask(grace, grace);
    expect(self).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'mentorId' }] });
    const blank = await ask(ada, grace, { message: '   ', goals: 'x'.repeat(2001) });
    expect(blank.__typename).toBe('ValidationError');
    expect(blank.fieldErrors.map((e: { path: string }) => e.path).sort()).toEqual(['goals', 'message']);
    expect((await ask(ada, notMentor)).code).toBe('NOT_FOUND');
    expect((await ask(ada, 'not-an-id')).code).toBe('NOT_FOUND');
    expect((await ask(ada, paused)).code).toBe('MENTOR_NOT_ACCEPTING');
    expect((await ask(ada, full)).code).toBe('MENTOR_AT_CAPACITY');
    expect(await requestCount()).toBe(before);

    // One open request per pair; none while an active mentorship with that mentor exists.
    expect((await ask(ada, grace)).__typename).toBe('MentorshipRequestPayload');
    const again = await ask(ada, grace);
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'REQUEST_ALREADY_PENDING' });
    const linus = await mentor('Linus');
    await acceptRequest(url(), linus, await requestMentorship(url(), ada, linus));
    expect((await ask(ada, linus)).code).toBe('ALREADY_MENTORED');
    expect(await requestCount()).toBe(before + 2);
  });

  it('lets only members of the chosen groups ask a mentor who chose groups', async () => {
    const [insider, outsider, chooser] = [await member('Insider'), await member('Outsider'), await member('Chooser')];
    const chosen = await group('COMMUNITY', [
      [chooser, 'OWNER'],
      [insider, 'MEMBER'],
    ]);
    await makeMentor(url(), chooser, { askScope: 'CHOSEN_GROUPS', askGroupIds: [chosen.id] });
    expect(await ask(outsider, chooser)).toMatchObject({ __typename: 'ConflictError', code: 'NOT_ALLOWED_TO_ASK' });
    expect((await ask(insider, chooser, { groupId: chosen.id })).request.group).toEqual({ id: chosen.id });
    // A group the two do not share is refused on the field.
    const theirs = await group('COMMUNITY', [[outsider, 'OWNER']]);
    const other = await mentor('Other');
    expect(await ask(insider, other, { groupId: theirs.id })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: 'groupId' }],
    });
  });

  it('answers a block either way exactly as a mentor who does not exist', async () => {
    const [ada, blocker, blocked] = [await member('Ada'), await mentor('Blocker'), await mentor('Blocked')];
    const block = (who: Member, whom: Member) =>
      run(who, 'mutation ($input: BlockMemberInput!) { blockMember(input: $input) { __typename } }', {
        input: { personId: personId(whom) },
      });
    await block(blocker, ada);
    await block(ada, blocked);
    const before = await requestCount();
    const notFound = await ask(ada, await member('Nobody'));
    for (const target of [blocker, blocked]) {
      const refused = await ask(ada, target);
      expect(refused).toEqual({ ...notFound, message: refused.message });
      expect(refused.code).toBe('NOT_FOUND');
    }
    expect(await requestCount()).toBe(before);
  });

  it('limits a mentee to three waiting requests, also when sent at once', async () => {
    const ada = await member('Ada');
    const mentors = await Promise.all([1, 2, 3, 4, 5].map((n) => mentor(`Mentor ${n}`)));
    // All five at once: the mentee's row lock makes them count each other.
    const results = await Promise.all(mentors.map((m) => ask(ada, m)));
    const made = results.filter((r) => r.__typename === 'MentorshipRequestPayload');
    const refused = results.filter((r) => r.__typename !== 'MentorshipRequestPayload');
    expect(made).toHaveLength(3);
    expect(refused.map((r) => r.code)).toEqual(['PENDING_REQUEST_LIMIT', 'PENDING_REQUEST_LIMIT']);
    expect(await db().mentorshipRequest.count({ where: { menteeId: userIdOf(ada.id) } })).toBe(3);
    // Withdrawing one makes room again.
    const withdrawn = await answer(ada, 'withdrawMentorshipRequest', { requestId: made[0]!.request.id });
    expect(withdrawn.request.status).toBe('WITHDRAWN');
    const askedMentors = new Set(made.map((r) => r.request.mentor.id));
    const waiting = mentors.find((m) => !askedMentors.has(personId(m)))!;
    expect((await ask(ada, waiting)).__typename).toBe('MentorshipRequestPayload');
  });

  // A transaction that only references the mentee by a foreign key holds FOR KEY SHARE on their row:
  // an acceptance starting their mentorship while it holds the request's row, or a member asking
  // them as a mentor. If the mentee's lock waited for it (FOR UPDATE does), an ask or a
  // cancelMyPendingRequests meeting such a transaction that waits for it in turn deadlocks.
  it.skipIf(backendFromEnv().kind === 'embedded')(
    'takes the mentee’s row lock without waiting for a transaction that only references them (no deadlock with an acceptance)',
    async () => {
      const ada = await member('Ada');
      const grace = await mentor('Grace');
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let taken!: () => void;
      const keyShareTaken = new Promise<void>((resolve) => {
        taken = resolve;
      });
      const holder = db().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userIdOf(ada.id)}::uuid FOR KEY SHARE`;
          taken();
          await released;
        },
        { timeout: 30_000 },
      );
      await keyShareTaken;
      const waited = Symbol('waited');
      const within = <T>(work: Promise<T>) =>
        Promise.race([work, new Promise<typeof waited>((resolve) => setTimeout(() => resolve(waited), 3_000))]);
      try {
        const asked = await within(ask(ada, grace));
        expect(asked === waited ? 'waited for the key share lock' : asked.__typename).toBe('MentorshipRequestPayload');
        const cancelled = await within(run(ada, 'mutation { cancelMyPendingRequests { __typename } }'));
        expect(cancelled === waited ? 'waited for the key share lock' : 'done').toBe('done');
      } finally {
        release();
        await holder;
      }
    },
  );
});

describe('answering', () => {
  it('the mentee withdraws; only the mentee may, only while it waits, and its expiry job goes', async () => {
    const [ada, grace] = [await member('Ada'), await mentor('Grace')];
    const requestId = await requestMentorship(url(), ada, grace);
    const key = `mentorship.request-expiry:${rowIdOf(requestId)}`;
    expect(await jobKeys()).toContain(key);
    expect(await answer(grace, 'withdrawMentorshipRequest', { requestId })).toMatchObject({ code: 'FORBIDDEN' });
    const done = await answer(ada, 'withdrawMentorshipRequest', { requestId });
    expect(done.request.status).toBe('WITHDRAWN');
    expect(await jobKeys()).not.toContain(key);
    expect(await answer(ada, 'withdrawMentorshipRequest', { requestId })).toMatchObject({
      __typename: 'ConflictError',
      code: 'REQUEST_NOT_PENDING',
    });
    expect(await answer(grace, 'acceptMentorshipRequest', { requestId })).toMatchObject({
      code: 'REQUEST_NOT_PENDING',
    });
    // The mentor's "asked you" notification went with it.
    expect(await kindsOf(grace)).not.toContain('MENTORSHIP_REQUEST_RECEIVED');
  });

  it('the mentor declines with a note the mentee reads; the mentee cannot answer their own request', async () => {
    const [ada, grace] = [await member('Ada'), await mentor('Grace')];
    const requestId = await requestMentorship(url(), ada, grace);
    expect(await answer(ada, 'acceptMentorshipRequest', { requestId })).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(await answer(ada, 'declineMentorshipRequest', { requestId })).toMatchObject({ code: 'FORBIDDEN' });
    const tooLong = await answer(grace, 'declineMentorshipRequest', { requestId, note: 'x'.repeat(1001) });
    expect(tooLong).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'note' }] });
    const declined = await answer(grace, 'declineMentorshipRequest', {
      requestId,
      note: ' My term is full; try Linus. ',
    });
    expect(declined.request).toMatchObject({ status: 'DECLINED', responseNote: 'My term is full; try Linus.' });
    expect((await nodeAs(ada, requestId))!).toMatchObject({
      status: 'DECLINED',
      responseNote: 'My term is full; try Linus.',
    });
    expect(await kindsOf(ada)).toContain('MENTORSHIP_REQUEST_DECLINED');
    // A decline goes to the digest, not straight to the inbox (like a declined join request).
    expect(await mailsTo(ada)).toBe(0);
    expect(await answer(grace, 'acceptMentorshipRequest', { requestId })).toMatchObject({
      code: 'REQUEST_NOT_PENDING',
    });
  });

  it('accepting starts the mentorship with its MENTORSHIP conversation and leaves the other requests open', async () => {
    const [ada, grace, linus, stranger] = [
      await member('Ada'),
      await mentor('Grace'),
      await mentor('Linus'),
      await member('S'),
    ];
    const toGrace = await requestMentorship(url(), ada, grace);
    const toLinus = await requestMentorship(url(), ada, linus);
    const accepted = await answer(grace, 'acceptMentorshipRequest', { requestId: toGrace, note: 'Welcome!' });
    expect(accepted.request).toMatchObject({ status: 'ACCEPTED', responseNote: 'Welcome!' });
    const mentorship = accepted.request.mentorship;
    expect(mentorship.conversation.kind).toBe('MENTORSHIP');
    expect(mentorship.conversation.participants.map((p: { id: string }) => p.id).sort()).toEqual(
      [personId(ada), personId(grace)].sort(),
    );
    expect(await jobKeys()).not.toContain(`mentorship.request-expiry:${rowIdOf(toGrace)}`);
    expect(await kindsOf(ada)).toContain('MENTORSHIP_REQUEST_ACCEPTED');
    const adaSees = await listsOf(ada);
    expect(adaSees.mentorships).toEqual([
      { id: mentorship.id, status: 'ACTIVE', viewerRole: 'MENTEE', partner: { id: personId(grace) } },
    ]);
    expect((await listsOf(grace)).mentorships[0]).toMatchObject({ id: mentorship.id, viewerRole: 'MENTOR' });
    // The other request waits until the mentee chooses to close it.
    expect((await nodeAs(ada, toLinus))!.status).toBe('PENDING');
    // Only the two see the mentorship and its conversation.
    expect(await nodeAs(stranger, mentorship.id)).toBeNull();
    expect(await nodeAs(stranger, mentorship.conversation.id)).toBeNull();
    expect(await nodeAs(ada, mentorship.id)).toMatchObject({ __typename: 'Mentorship', mentorshipStatus: 'ACTIVE' });

    // The mentor cannot choose for the mentee.
    const third = await requestMentorship(url(), ada, await mentor('Third'));
    const cancelled = await run(
      ada,
      'mutation { cancelMyPendingRequests { __typename ... on CancelMyPendingRequestsPayload { cancelled { id status } } } }',
    );
    expect(cancelled.cancelMyPendingRequests.cancelled).toEqual(
      [toLinus, third].sort().map((id) => ({ id, status: 'CANCELLED' })),
    );
    expect(await answer(linus, 'acceptMentorshipRequest', { requestId: toLinus })).toMatchObject({
      code: 'REQUEST_NOT_PENDING',
    });
  });

  it('refuses to accept beyond capacity, storing nothing', async () => {
    const grace = await mentor('Grace', { capacity: 1 });
    const [ada, bob] = [await member('Ada'), await member('Bob')];
    const fromAda = await requestMentorship(url(), ada, grace);
    const fromBob = await requestMentorship(url(), bob, grace);
    expect(
      await answer(grace, 'acceptMentorshipRequest', { requestId: fromBob, cancelOtherRequests: true }),
    ).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: 'cancelOtherRequests' }],
    });
    await acceptRequest(url(), grace, fromAda);
    const [mentorships, conversations] = [await db().mentorship.count(), await db().conversation.count()];
    const refused = await answer(grace, 'acceptMentorshipRequest', { requestId: fromBob });
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'MENTOR_AT_CAPACITY' });
    expect((await nodeAs(bob, fromBob))!.status).toBe('PENDING');
    expect([await db().mentorship.count(), await db().conversation.count()]).toEqual([mentorships, conversations]);
  });

  it('never lets two acceptances at once go beyond capacity (the mentor row lock)', async () => {
    // On PostgreSQL the two transactions really overlap; without the FOR UPDATE on the mentor's
    // profile both count 0 active mentorships and both start one.
    for (let round = 0; round < 4; round += 1) {
      const grace = await mentor(`Grace ${round}`, { capacity: 1 });
      const mentees = [await member('Ada'), await member('Bob')];
      const requests = await Promise.all(mentees.map((m) => requestMentorship(url(), m, grace)));
      const results = await Promise.all(
        requests.map((requestId) => answer(grace, 'acceptMentorshipRequest', { requestId })),
      );
      expect(results.map((r) => r.__typename).sort()).toEqual(['ConflictError', 'MentorshipRequestPayload']);
      expect(results.find((r) => r.__typename === 'ConflictError')!.code).toBe('MENTOR_AT_CAPACITY');
      expect(await db().mentorship.count({ where: { mentorId: userIdOf(grace.id), status: 'ACTIVE' } })).toBe(1);
    }
  });

  // A request a mentor is accepting while the mentee closes their waiting requests: once the
  // acceptance commits, it is not reported as cancelled, and the mentor keeps its notification.
  it.skipIf(backendFromEnv().kind === 'embedded')(
    'does not report as cancelled a request accepted while cancelMyPendingRequests waited for it',
    async () => {
      const ada = await member('Ada');
      const grace = await mentor('Grace');
      const requestId = rowIdOf(await requestMentorship(url(), ada, grace));
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let taken!: () => void;
      const locked = new Promise<void>((resolve) => {
        taken = resolve;
      });
      // Stands in for the acceptance: it holds the request's row, then marks it ACCEPTED and commits.
      const acceptance = db().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT "id" FROM "MentorshipRequest" WHERE "id" = ${requestId}::uuid FOR UPDATE`;
          taken();
          await released;
          await tx.mentorshipRequest.update({ where: { id: requestId }, data: { status: 'ACCEPTED' } });
        },
        { timeout: 30_000 },
      );
      await locked;
      const cancelling = run(
        ada,
        'mutation { cancelMyPendingRequests { ... on CancelMyPendingRequestsPayload { cancelled { id status } } } }',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      release();
      await acceptance;
      const { cancelMyPendingRequests } = await cancelling;
      expect(cancelMyPendingRequests.cancelled).toEqual([]);
      expect(await kindsOf(grace)).toContain('MENTORSHIP_REQUEST_RECEIVED');
    },
  );

  it('expires an unanswered request through its job once its time has come, and tells the mentee', async () => {
    const [ada, grace] = [await member('Ada'), await mentor('Grace')];
    const requestId = await requestMentorship(url(), ada, grace);
    setClockOffset(14 * DAY_MS - 60_000);
    await runDueJobs(server.app.services);
    expect((await nodeAs(ada, requestId))!.status).toBe('PENDING');
    setClockOffset(14 * DAY_MS + 60_000);
    await runDueJobs(server.app.services);
    const expired = (await nodeAs(ada, requestId))!;
    expect(expired.status).toBe('EXPIRED');
    expect(await kindsOf(ada)).toContain('MENTORSHIP_REQUEST_EXPIRED');
    expect(await answer(grace, 'acceptMentorshipRequest', { requestId })).toMatchObject({
      code: 'REQUEST_NOT_PENDING',
    });
    // An expired request no longer counts against the limit, and the pair may ask again.
    setClockOffset(0);
    expect((await ask(ada, grace)).__typename).toBe('MentorshipRequestPayload');
  });
});

describe('program pairing by hand', () => {
  it('an owner or admin of a PROGRAM group pairs two members; it starts once both agree; admins see, not change', async () => {
    const [admin, plain, ada, grace] = [
      await member('Admin'),
      await member('Plain'),
      await member('Ada'),
      await mentor('Grace'),
    ];
    const program = await group('PROGRAM', [
      [admin, 'ADMIN'],
      [plain, 'MEMBER'],
      [ada, 'MEMBER'],
      [grace, 'MEMBER'],
    ]);
    const community = await group('COMMUNITY', [
      [admin, 'OWNER'],
      [ada, 'MEMBER'],
      [grace, 'MEMBER'],
    ]);
    const input = {
      groupId: program.id,
      mentorId: personId(grace),
      menteeId: personId(ada),
      note: 'You two share Rust.',
    };
    const pair = (who: Member, extra: Record<string, unknown> = {}) =>
      mentorshipMutation(
        url(),
        who,
        'proposeMentorshipPairing',
        { ...input, ...extra },
        `... on MentorshipRequestPayload { request { ${REQUEST_FIELDS} origin proposedBy { id } group { id } } }`,
      );
    const before = await requestCount();
    expect(await pair(plain)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await pair(admin, { groupId: community.id })).toMatchObject({ code: 'NOT_A_PROGRAM' });
    expect(await pair(admin, { menteeId: personId(await member('Outside')) })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: 'menteeId' }],
    });
    expect(await pair(admin, { mentorId: personId(plain) })).toMatchObject({ fieldErrors: [{ path: 'mentorId' }] });
    expect(await requestCount()).toBe(before);

    const proposed = await pair(admin);
    expect(proposed.request).toMatchObject({
      status: 'PENDING',
      origin: 'PROGRAM_ADMIN',
      proposedBy: { id: personId(admin) },
      group: { id: program.id },
      menteeAgreedAt: null,
      mentorAgreedAt: null,
    });
    const requestId = proposed.request.id;
    expect(await kindsOf(ada)).toContain('MENTORSHIP_PAIRING_PROPOSED');
    expect(await kindsOf(grace)).toContain('MENTORSHIP_PAIRING_PROPOSED');
    // Both find it among what they answer; the mentee too.
    expect((await listsOf(ada)).received.map((r: UntypedData) => r.id)).toEqual([requestId]);

    // The admin sees it (node, the program's pairings) but cannot answer it.
    expect((await nodeAs(admin, requestId))!).toMatchObject({ viewerRole: null, viewerCanAccept: false });
    const pairings = await run(
      admin,
      'query ($id: ID!) { node(id: $id) { ... on Group { mentorshipPairings { id } } } }',
      {
        id: program.id,
      },
    );
    expect(pairings.node.mentorshipPairings).toEqual([{ id: requestId }]);
    expect(
      (
        await run(plain, 'query ($id: ID!) { node(id: $id) { ... on Group { mentorshipPairings { id } } } }', {
          id: program.id,
        })
      ).node.mentorshipPairings,
    ).toEqual([]);
    expect(await answer(admin, 'acceptMentorshipRequest', { requestId })).toMatchObject({ code: 'FORBIDDEN' });

    const mentorAgrees = await answer(grace, 'acceptMentorshipRequest', { requestId, note: 'Glad to, Ada.' });
    expect(mentorAgrees.request).toMatchObject({ status: 'PENDING', mentorship: null, responseNote: 'Glad to, Ada.' });
    // The note is for the other side: the admin who paired them sees that the mentor agreed, not the words.
    expect((await nodeAs(admin, requestId))!.responseNote).toBe('');
    expect((await nodeAs(ada, requestId))!.responseNote).toBe('Glad to, Ada.');
    expect(mentorAgrees.request.mentorAgreedAt).not.toBeNull();
    expect(await answer(grace, 'acceptMentorshipRequest', { requestId })).toMatchObject({ code: 'ALREADY_AGREED' });

    // The mentee agrees and chooses to close their other waiting requests.
    const other = await requestMentorship(url(), ada, await mentor('Linus'));
    const started = await answer(ada, 'acceptMentorshipRequest', { requestId, cancelOtherRequests: true });
    expect(started.request.status).toBe('ACCEPTED');
    expect(started.request.mentorship.group).toEqual({ id: program.id });
    expect((await nodeAs(ada, other))!.status).toBe('CANCELLED');
    // Admins never see the mentorship itself.
    expect((await nodeAs(admin, requestId))!.mentorship).toBeNull();
    expect(await nodeAs(admin, started.request.mentorship.id)).toBeNull();
  });
});

describe('live activity', () => {
  it('mentorshipActivity reaches both sides when a request is made and answered, and nobody else', async () => {
    const [ada, grace, stranger] = [await member('Ada'), await mentor('Grace'), await member('Stranger')];
    const DOC = /* GraphQL */ `subscription { mentorshipActivity { kind request { id status viewerRole } mentorship { id viewerRole } } }`;
    type Event = {
      kind: string;
      request: { id: string; status: string; viewerRole: string } | null;
      mentorship: { id: string; viewerRole: string } | null;
    };
    const sockets = [ada, grace, stranger].map((who) => memberSocket(server.wsUrl, who));
    const [adaStream, graceStream, strangerStream] = sockets.map((socket) =>
      openStream<Event>(socket, DOC, {}, 'mentorshipActivity'),
    );
    try {
      // Warm up: a request of each member's own, nudged until their stream is live.
      const warm = async (who: Member, stream: Stream<Event>) => {
        const id = await requestMentorship(url(), who, await mentor('Warm'));
        const nudge = async () =>
          publishMentorshipActivity(server.app.services.pubsub, {
            userIds: [userIdOf(who.id)],
            kind: 'REQUEST_CREATED',
            requestId: rowIdOf(id),
          });
        await warmUp(stream, nudge, (e) => e.request?.id === id, 'warm-up');
        return id;
      };
      const adaWarm = await warm(ada, adaStream!);
      await warm(grace, graceStream!);
      await warm(stranger, strangerStream!);
      // A nudge about a request someone cannot see is not delivered to them.
      publishMentorshipActivity(server.app.services.pubsub, {
        userIds: [userIdOf(stranger.id)],
        kind: 'REQUEST_CREATED',
        requestId: rowIdOf(adaWarm),
      });

      const requestId = await requestMentorship(url(), ada, grace);
      const created = (e: Event) => e.kind === 'REQUEST_CREATED' && e.request?.id === requestId;
      await adaStream!.waitFor((items) => items.some(created), 'ada created');
      const [graceCreated] = (await graceStream!.waitFor((items) => items.some(created), 'grace created')).filter(
        created,
      );
      expect(graceCreated!.request).toMatchObject({ status: 'PENDING', viewerRole: 'MENTOR' });

      const mentorship = await acceptRequest(url(), grace, requestId);
      const accepted = (e: Event) => e.kind === 'REQUEST_ACCEPTED' && e.request?.id === requestId;
      for (const [stream, role] of [
        [adaStream!, 'MENTEE'],
        [graceStream!, 'MENTOR'],
      ] as const) {
        const event = (await stream.waitFor((items) => items.some(accepted), `${role} accepted`)).find(accepted)!;
        expect(event.mentorship).toEqual({ id: mentorship!.id, viewerRole: role });
        expect(event.request!.status).toBe('ACCEPTED');
      }
      // The stranger's stream is still live (a last nudge of their own arrives) and held nothing of the pair.
      await warm(stranger, strangerStream!);
      expect(strangerStream!.received.some((e) => e.request?.id === requestId || e.request?.id === adaWarm)).toBe(
        false,
      );
      expect(strangerStream!.received.every((e) => e.mentorship === null)).toBe(true);
    } finally {
      for (const stream of [adaStream, graceStream, strangerStream]) stream?.dispose();
      await Promise.all(sockets.map((socket) => socket.dispose()));
    }
  });
});

describe('live activity across instances', () => {
  // With PostgreSQL + Redis, a second server on the same database: the answer goes through instance A,
  // the subscriber listens on instance B.
  it.runIf(backendFromEnv().kind === 'scale-out')('reaches a subscriber on another instance', async () => {
    const other = await startServer({ database: server.database });
    const [ada, grace] = [await member('Ada'), await mentor('Grace')];
    const socket = memberSocket(other.wsUrl, ada);
    const stream = openStream<{ kind: string; request: { id: string; status: string } | null }>(
      socket,
      'subscription { mentorshipActivity { kind request { id status } } }',
      {},
      'mentorshipActivity',
    );
    try {
      const requestId = await requestMentorship(url(), ada, grace);
      await warmUp(
        stream,
        async () =>
          publishMentorshipActivity(server.app.services.pubsub, {
            userIds: [userIdOf(ada.id)],
            kind: 'REQUEST_CREATED',
            requestId: rowIdOf(requestId),
          }),
        (e) => e.request?.id === requestId,
        'warm-up across instances',
      );
      await acceptRequest(url(), grace, requestId);
      await stream.waitFor(
        (items) => items.some((e) => e.kind === 'REQUEST_ACCEPTED' && e.request?.status === 'ACCEPTED'),
        'accepted on the other instance',
      );
    } finally {
      stream.dispose();
      await socket.dispose();
      await other.stop();
    }
  });
});
