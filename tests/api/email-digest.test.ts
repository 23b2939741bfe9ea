import { Temporal } from 'temporal-polyfill';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import type { Member } from '../support/graphql.js';
import { call, createGroup, members, mutate, userIdOf } from '../support/groups.js';
import { jobRows } from '../support/jobs.js';
import { startServer, type TestServer } from '../support/server.js';
import {
  freePort,
  hrefsIn,
  linksIn,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '../support/smtp.js';

// The daily or weekly digest: at 08:00 in the member's own time zone (weekly on Mondays), across
// DST changes; only what is new since the last digest (unread, of a kind whose digest channel is
// on, not listed before); nothing sent when there is nothing new; a recurring job per member.
// The server clock is moved to each due time; expected instants come from Temporal here, not from
// the server's own time functions.

const MINUTE = 60_000;

let smtp: TestSmtpServer;
let server: TestServer;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer({
    env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: origin, JOBS_ENABLED: 'false' },
  });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});
afterEach(() => {
  setClockOffset(0);
});

const db = () => server.app.services.db;
const url = () => server.graphqlUrl;
const run = () => runDueJobs(server.app.services);

/** The instant of a wall-clock time in a zone, by Temporal (independent of the server's lib/time). */
const local = (wall: string, zone: string) =>
  new Date(Temporal.PlainDateTime.from(wall).toZonedDateTime(zone).epochMilliseconds);
const setClockTo = (instant: Date) => setClockOffset(instant.getTime() - Date.now());

async function setZone(member: Member, timeZone: string) {
  const result = await mutate(url(), member, 'updateProfile', { timeZone });
  expect(result.__typename, JSON.stringify(result)).not.toMatch(/Error/);
}

async function setDigest(member: Member, frequency: 'OFF' | 'DAILY' | 'WEEKLY') {
  const result = await mutate(
    url(),
    member,
    'setEmailDigest',
    { frequency },
    '... on SetEmailDigestPayload { viewer { emailDigest } }',
  );
  expect(result.viewer.emailDigest).toBe(frequency);
}

async function digestJobOf(member: Member) {
  return (await jobRows(db())).find((job) => job.key === `email.digest:${userIdOf(member.id)}`);
}

async function requestToJoin(member: Member, groupId: string) {
  const result = await mutate(
    url(),
    member,
    'requestToJoinGroup',
    { groupId },
    '... on JoinRequestPayload { joinRequest { id } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('JoinRequestPayload');
  return result.joinRequest.id as string;
}

async function digestsOf(member: Member): Promise<ReceivedMail[]> {
  return smtp.messages.filter(
    (mail) => mail.envelope.to.includes(member.email) && /digest/.test(mail.parsed.subject ?? ''),
  );
}

function header(mail: ReceivedMail, name: string): string | undefined {
  return mail.parsed.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');
}

describe('the email digest', () => {
  it('lists everything since the previous digest when one runs late, and keeps it across a change of frequency', async () => {
    const zone = 'Europe/Berlin';
    setClockTo(local('2027-05-03T09:00', zone)); // a Monday
    const [owner, ana, ben] = await members(url(), 3, 'Late');
    await setZone(owner!, zone);
    const group = await createGroup(url(), owner!, { name: 'Late Club', visibility: 'PRIVATE' });
    await setDigest(owner!, 'DAILY');

    // A request on Monday evening; no instance runs jobs on Tuesday or Wednesday morning.
    setClockTo(local('2027-05-03T20:00', zone));
    await requestToJoin(ana!, group.id);
    setClockTo(local('2027-05-06T08:30', zone));
    await run();
    const late = await digestsOf(owner!);
    expect(late).toHaveLength(1);
    expect(late[0]!.parsed.text).toContain(ana!.name);

    // Weekly from Thursday, a request on Friday, daily again on Saturday: Sunday's digest has it.
    setClockTo(local('2027-05-06T09:00', zone));
    await setDigest(owner!, 'WEEKLY');
    setClockTo(local('2027-05-07T10:00', zone));
    await requestToJoin(ben!, group.id);
    setClockTo(local('2027-05-08T12:00', zone));
    await setDigest(owner!, 'DAILY');
    expect((await digestJobOf(owner!))?.runAt).toEqual(local('2027-05-09T08:00', zone));
    setClockTo(local('2027-05-09T08:00', zone));
    await run();
    const after = await digestsOf(owner!);
    expect(after).toHaveLength(2);
    expect(after[1]!.parsed.text).toContain(ben!.name);
    expect(after[1]!.parsed.text).not.toContain(ana!.name);
  });

  it('comes daily at 08:00 in the member’s zone across a DST change, with only what is new, and not when nothing is', async () => {
    const zone = 'America/New_York';
    // Friday 2027-03-12, 10:00 in New York; DST starts on Sunday the 14th at 02:00.
    setClockTo(local('2027-03-12T10:00', zone));
    const [owner, ada, bob, cy, eve, host] = await members(url(), 6, 'Digest');
    await setZone(owner!, zone);
    const group = await createGroup(url(), owner!, { name: 'Digest Club', visibility: 'PRIVATE' });

    await setDigest(owner!, 'DAILY');
    const first = local('2027-03-13T08:00', zone); // EST, 13:00 UTC
    expect((await digestJobOf(owner!))?.runAt).toEqual(first);

    // New for the owner: two join requests (digest on by default), one request they read at once,
    // and an approval of their own request elsewhere (a kind kept out of digests).
    await requestToJoin(ada!, group.id);
    await requestToJoin(bob!, group.id);
    await requestToJoin(cy!, group.id);
    const elsewhere = await createGroup(url(), host!, { name: 'Elsewhere', visibility: 'PRIVATE' });
    const ownRequest = await requestToJoin(owner!, elsewhere.id);
    expect((await mutate(url(), host!, 'approveJoinRequest', { requestId: ownRequest })).__typename).toBe(
      'JoinRequestPayload',
    );
    const list = await call(url(), owner!, '{ viewer { notifications(first: 10) { edges { node { id text } } } } }');
    const nodes = list.viewer.notifications.edges.map((edge: { node: { id: string; text: string } }) => edge.node);
    const cyNotification = nodes.find((node: { text: string }) => node.text.startsWith(cy!.name));
    const read = await call(
      url(),
      owner!,
      'mutation R($id: ID!) { markNotificationRead(input: { notificationId: $id }) { __typename } }',
      { id: cyNotification.id },
    );
    expect(read.markNotificationRead.__typename).toBe('MarkNotificationsReadPayload');
    await run(); // the approval's own email (email on by default for that kind)

    setClockTo(new Date(first.getTime() - MINUTE));
    await run();
    expect(await digestsOf(owner!)).toEqual([]);

    setClockTo(first);
    await run();
    // runDueJobs returns once the delivery it scheduled is done.
    const [digest] = await digestsOf(owner!);
    expect(digest).toBeDefined();
    expect(digest!.envelope.to).toEqual([owner!.email]);
    for (const other of [ada!, bob!, cy!, eve!, host!]) expect(digest!.raw).not.toContain(other.email);
    expect(digest!.parsed.subject).toBe('Your daily Guildhall digest: 2 new notifications');
    const text = digest!.parsed.text!;
    expect(text).toContain(`${ada!.name} asked to join Digest Club`);
    expect(text).toContain(`${bob!.name} asked to join Digest Club`);
    expect(text).not.toContain(cy!.name); // read already
    expect(text).not.toContain('Elsewhere'); // its kind is not in digests
    expect(header(digest!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = header(digest!, 'list-unsubscribe')!.slice(1, -1);
    const links = linksIn(text);
    expect(hrefsIn(digest!.parsed.html as string)).toEqual(links);
    expect(links).toEqual([
      `${origin}/notifications`,
      `${origin}/groups/${group.slug}/admin`,
      `${origin}/groups/${group.slug}/admin`,
      `${origin}/settings/email`,
      unsubscribe,
    ]);
    for (const link of links.slice(0, -1)) expect((await fetch(link)).status, link).toBe(200);

    // Recurring: the next one is 08:00 EDT on the 14th, 23 hours later.
    const second = local('2027-03-14T08:00', zone);
    expect(second.getTime() - first.getTime()).toBe(23 * 60 * MINUTE);
    expect((await digestJobOf(owner!))?.runAt).toEqual(second);

    // Nothing new by then: nothing is sent, and the chain goes on.
    setClockTo(second);
    await run();
    expect(await digestsOf(owner!)).toHaveLength(1);
    const third = local('2027-03-15T08:00', zone);
    expect((await digestJobOf(owner!))?.runAt).toEqual(third);

    // Something new: only that.
    await requestToJoin(eve!, group.id);
    setClockTo(third);
    await run();
    const digests = await digestsOf(owner!);
    expect(digests).toHaveLength(2);
    expect(digests[1]!.parsed.subject).toBe('Your daily Guildhall digest: 1 new notification');
    expect(digests[1]!.parsed.text).toContain(`${eve!.name} asked to join Digest Club`);
    expect(digests[1]!.parsed.text).not.toContain(ada!.name);

    // The one-click unsubscribe of a digest turns the digest off and ends its chain.
    const oneClick = await fetch(unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect((await call(url(), owner!, '{ viewer { emailDigest } }')).viewer.emailDigest).toBe('OFF');
    expect(await digestJobOf(owner!)).toBeUndefined();
  });

  it('comes weekly on Mondays at 08:00 in the member’s zone, and stops when switched off', async () => {
    const zone = 'Europe/Berlin';
    // Monday 2027-03-15, 13:00 in Berlin: this week's 08:00 has passed. DST starts on the 28th.
    setClockTo(local('2027-03-15T13:00', zone));
    const [member] = await members(url(), 1, 'Weekly');
    await setZone(member!, zone);
    await setDigest(member!, 'WEEKLY');
    const first = local('2027-03-22T08:00', zone); // CET, 07:00 UTC
    expect((await digestJobOf(member!))?.runAt).toEqual(first);

    const before = smtp.messages.length;
    setClockTo(first);
    await run();
    expect(smtp.messages.length).toBe(before); // nothing new: nothing sent
    const second = local('2027-03-29T08:00', zone); // CEST, 06:00 UTC
    expect(second.getTime() - first.getTime()).toBe((7 * 24 - 1) * 60 * MINUTE);
    expect((await digestJobOf(member!))?.runAt).toEqual(second);

    await setDigest(member!, 'OFF');
    expect(await digestJobOf(member!)).toBeUndefined();
    setClockTo(second);
    await run();
    expect(smtp.messages.filter((mail) => mail.envelope.to.includes(member!.email))).toEqual([]);
  });

  it('follows the zone of a member whose 08:00 is at a half hour (Asia/Kolkata)', async () => {
    const zone = 'Asia/Kolkata';
    setClockTo(local('2027-06-01T09:00', zone));
    const [member] = await members(url(), 1, 'Kolkata');
    await setZone(member!, zone);
    await setDigest(member!, 'DAILY');
    const due = local('2027-06-02T08:00', zone);
    expect(due.toISOString()).toBe('2027-06-02T02:30:00.000Z');
    expect((await digestJobOf(member!))?.runAt).toEqual(due);
    expect(nowMs()).toBeLessThan(due.getTime());
  });
});
