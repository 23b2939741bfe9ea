import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMentorshipActivity } from '../../server/src/modules/mentorship/index.js';
import { memberSocket, openStream, warmUp } from '../support/chat.js';
import { gql, signUpMember, type Member, type UntypedData } from '../support/graphql.js';
import { personId, userIdOf } from '../support/groups.js';
import {
  activeMentorship,
  agreementInput,
  mentorshipMutation,
  proposeAgreement,
  rowIdOf,
} from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// The mentorship agreement over real HTTP: either side proposes a version, only the other side
// accepts it, a newer proposal withdraws an older unaccepted one, accepting supersedes the version
// in force, the history says who proposed and accepted what when, only the two see any of it, only
// while the mentorship is active, typed validation that stores nothing, proposals at once kept in
// order by the mentorship's row lock, and the live activity both sides receive.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;

const AGREEMENT =
  'id version status cadence format sessionMinutes startsOn plannedEndOn mentorExpectations menteeExpectations confidentiality proposedBy { id } proposedAt acceptedBy { id } acceptedAt viewerCanAccept';
const MENTORSHIP = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Mentorship {
        id viewerRole
        agreement { ${AGREEMENT} }
        pendingAgreement { ${AGREEMENT} }
        agreements { ${AGREEMENT} }
      }
    }
  }
`;

async function run(who: Member | null, query: string, variables: Record<string, unknown> = {}): Promise<UntypedData> {
  const response = await gql(url(), query, variables, who ? { token: who.token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

const mentorshipAs = async (who: Member, id: string) => (await run(who, MENTORSHIP, { id })).node as UntypedData | null;
const propose = (who: Member, mentorshipId: string, overrides: Record<string, unknown> = {}) =>
  mentorshipMutation(
    url(),
    who,
    'proposeMentorshipAgreement',
    agreementInput(mentorshipId, overrides),
    `... on MentorshipAgreementPayload { agreement { ${AGREEMENT} } mentorship { id } }`,
  );
const accept = (who: Member, agreementId: string) =>
  mentorshipMutation(
    url(),
    who,
    'acceptMentorshipAgreement',
    { agreementId },
    `... on MentorshipAgreementPayload { agreement { ${AGREEMENT} } mentorship { agreement { id } pendingAgreement { id } } }`,
  );

const member = (name: string) => signUpMember(url(), { name: `${name} ${randomBytes(2).toString('hex')}` });

async function pair() {
  const [mentee, mentor] = [await member('Ada'), await member('Grace')];
  const mentorship = await activeMentorship(url(), mentee, mentor);
  return { mentee, mentor, mentorship };
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('the agreement', () => {
  it('one side proposes, only the other accepts; both see who accepted what when', async () => {
    const { mentee, mentor, mentorship } = await pair();
    const proposed = await propose(mentor, mentorship.id, { mentorExpectations: '  Answers within two days. ' });
    expect(proposed.agreement).toMatchObject({
      version: 1,
      status: 'PROPOSED',
      cadence: 'BIWEEKLY',
      format: 'VIDEO',
      sessionMinutes: 45,
      startsOn: '2026-01-05',
      plannedEndOn: '2026-06-29',
      mentorExpectations: 'Answers within two days.',
      proposedBy: { id: personId(mentor) },
      acceptedBy: null,
      viewerCanAccept: false,
    });
    const agreementId = proposed.agreement.id;
    expect((await mentorshipAs(mentee, mentorship.id))!.pendingAgreement).toMatchObject({
      id: agreementId,
      viewerCanAccept: true,
    });
    expect(await accept(mentor, agreementId)).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });

    const accepted = await accept(mentee, agreementId);
    expect(accepted.agreement).toMatchObject({ status: 'ACCEPTED', acceptedBy: { id: personId(mentee) } });
    expect(accepted.mentorship).toEqual({ agreement: { id: agreementId }, pendingAgreement: null });
    for (const who of [mentee, mentor]) {
      const seen = (await mentorshipAs(who, mentorship.id))!;
      expect(seen.agreement).toMatchObject({ id: agreementId, acceptedBy: { id: personId(mentee) } });
      expect(Date.parse(seen.agreement.acceptedAt)).toBeGreaterThanOrEqual(Date.parse(seen.agreement.proposedAt));
    }
    const kinds = async (who: Member) =>
      (
        (await run(who, 'query { viewer { notifications(first: 20) { edges { node { kind } } } } }')).viewer
          .notifications.edges as Array<{ node: { kind: string } }>
      ).map((edge) => edge.node.kind);
    expect(await kinds(mentee)).toContain('MENTORSHIP_AGREEMENT_PROPOSED');
    expect(await kinds(mentor)).toContain('MENTORSHIP_AGREEMENT_ACCEPTED');
    expect(await accept(mentee, agreementId)).toMatchObject({
      __typename: 'ConflictError',
      code: 'AGREEMENT_NOT_PROPOSED',
    });
  });

  it('a change is a new version: a newer proposal withdraws the older one, accepting supersedes the one in force, history kept', async () => {
    const { mentee, mentor, mentorship } = await pair();
    const v1 = await proposeAgreement(url(), mentee, mentorship.id);
    expect((await accept(mentor, v1)).agreement.status).toBe('ACCEPTED');
    const v2 = (await propose(mentee, mentorship.id, { cadence: 'WEEKLY' })).agreement.id;
    // The version in force stays until the other side accepts the change.
    expect((await mentorshipAs(mentor, mentorship.id))!).toMatchObject({
      agreement: { id: v1 },
      pendingAgreement: { id: v2 },
    });
    const v3 = (await propose(mentor, mentorship.id, { cadence: 'MONTHLY', sessionMinutes: 60 })).agreement.id;
    expect(await accept(mentor, v2)).toMatchObject({ code: 'AGREEMENT_NOT_PROPOSED' });
    expect(await accept(mentee, v3)).toMatchObject({ __typename: 'MentorshipAgreementPayload' });

    const history = (await mentorshipAs(mentee, mentorship.id))!;
    expect(history.agreement.id).toBe(v3);
    expect(history.pendingAgreement).toBeNull();
    expect(
      history.agreements.map((a: UntypedData) => [
        a.version,
        a.status,
        a.cadence,
        a.proposedBy.id,
        a.acceptedBy?.id ?? null,
      ]),
    ).toEqual([
      [3, 'ACCEPTED', 'MONTHLY', personId(mentor), personId(mentee)],
      [2, 'WITHDRAWN', 'WEEKLY', personId(mentee), null],
      [1, 'SUPERSEDED', 'BIWEEKLY', personId(mentee), personId(mentor)],
    ]);
  });

  it('refuses bad terms on their fields and stores nothing', async () => {
    const { mentor, mentorship } = await pair();
    const before = await db().mentorshipAgreement.count();
    const refused = await propose(mentor, mentorship.id, {
      sessionMinutes: 5,
      startsOn: '2026-03-10',
      plannedEndOn: '2026-03-01',
      confidentiality: '   ',
      menteeExpectations: 'x'.repeat(2001),
    });
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fieldErrors.map((e: { path: string }) => e.path).sort()).toEqual([
      'confidentiality',
      'menteeExpectations',
      'plannedEndOn',
      'sessionMinutes',
    ]);
    expect((await propose(mentor, mentorship.id, { startsOn: '2026-02-30' })).fieldErrors).toEqual([
      { path: 'startsOn', message: 'That day does not exist.' },
    ]);
    // Not a day at all, a month 13, a day no date column holds: refused on the field, not a server error.
    for (const startsOn of ['next monday', '2026-13-01', '0000-01-01']) {
      const refused = await propose(mentor, mentorship.id, { startsOn });
      expect(refused.fieldErrors?.map((e: { path: string }) => e.path)).toContain('startsOn');
    }
    expect(await db().mentorshipAgreement.count()).toBe(before);
  });

  it("is the two members' alone, and only while the mentorship is active", async () => {
    const { mentee, mentor, mentorship } = await pair();
    const stranger = await member('Stranger');
    const agreementId = await proposeAgreement(url(), mentor, mentorship.id);
    expect(await propose(stranger, mentorship.id)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await accept(stranger, agreementId)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await mentorshipAs(stranger, mentorship.id)).toBeNull();
    expect((await run(stranger, 'query ($id: ID!) { node(id: $id) { id } }', { id: agreementId })).node).toBeNull();
    expect((await run(mentee, 'query ($id: ID!) { node(id: $id) { id } }', { id: agreementId })).node).toEqual({
      id: agreementId,
    });

    await db().mentorship.update({
      where: { id: rowIdOf(mentorship.id) },
      data: { status: 'ENDED', endedAt: new Date() },
    });
    expect(await accept(mentee, agreementId)).toMatchObject({
      __typename: 'ConflictError',
      code: 'MENTORSHIP_NOT_ACTIVE',
    });
    expect(await propose(mentee, mentorship.id)).toMatchObject({ code: 'MENTORSHIP_NOT_ACTIVE' });
  });

  it('keeps versions in order when both sides propose and accept at once (the mentorship row lock)', async () => {
    const { mentee, mentor, mentorship } = await pair();
    const first = await proposeAgreement(url(), mentor, mentorship.id);
    // Proposals from both sides and an acceptance of the first, all at once.
    const results = await Promise.all([
      accept(mentee, first),
      ...[mentee, mentor, mentee, mentor].map((who, i) => propose(who, mentorship.id, { sessionMinutes: 30 + i })),
    ]);
    expect(results.slice(1).every((r) => r.__typename === 'MentorshipAgreementPayload')).toBe(true);
    const rows = await db().mentorshipAgreement.findMany({
      where: { mentorshipId: rowIdOf(mentorship.id) },
      orderBy: { version: 'asc' },
    });
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
    // Exactly one proposal still waits (the newest), and at most one version is in force.
    expect(rows.filter((row) => row.status === 'PROPOSED').map((row) => row.version)).toEqual([5]);
    expect(rows.filter((row) => row.status === 'ACCEPTED').length).toBe(
      results[0]!.__typename === 'MentorshipAgreementPayload' ? 1 : 0,
    );
  });

  it('tells both sides live when terms are proposed and accepted', async () => {
    const { mentee, mentor, mentorship } = await pair();
    type Event = { kind: string; mentorship: { id: string; pendingAgreement: { id: string } | null } | null };
    const DOC = 'subscription { mentorshipActivity { kind mentorship { id pendingAgreement { id } } } }';
    const sockets = [mentee, mentor].map((who) => memberSocket(server.wsUrl, who));
    const streams = sockets.map((socket) => openStream<Event>(socket, DOC, {}, 'mentorshipActivity'));
    try {
      for (const [index, who] of [mentee, mentor].entries()) {
        await warmUp(
          streams[index]!,
          async () =>
            publishMentorshipActivity(server.app.services.pubsub, {
              userIds: [userIdOf(who.id)],
              kind: 'GOAL_CHANGED',
              mentorshipId: rowIdOf(mentorship.id),
            }),
          (e) => e.kind === 'GOAL_CHANGED',
          'warm-up',
        );
      }
      const agreementId = await proposeAgreement(url(), mentee, mentorship.id);
      for (const stream of streams) {
        const [event] = (
          await stream.waitFor((items) => items.some((e) => e.kind === 'AGREEMENT_PROPOSED'), 'proposed')
        ).filter((e) => e.kind === 'AGREEMENT_PROPOSED');
        expect(event!.mentorship).toEqual({ id: mentorship.id, pendingAgreement: { id: agreementId } });
      }
      await accept(mentor, agreementId);
      for (const stream of streams) {
        const [event] = (
          await stream.waitFor((items) => items.some((e) => e.kind === 'AGREEMENT_ACCEPTED'), 'accepted')
        ).filter((e) => e.kind === 'AGREEMENT_ACCEPTED');
        expect(event!.mentorship).toEqual({ id: mentorship.id, pendingAgreement: null });
      }
    } finally {
      for (const stream of streams) stream.dispose();
      await Promise.all(sockets.map((socket) => socket.dispose()));
    }
  });
});
