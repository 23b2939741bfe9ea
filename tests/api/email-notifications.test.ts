import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { gql, type Member } from '../support/graphql.js';
import { call, createGroup, members, mutate, personId, userIdOf } from '../support/groups.js';
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

// Notification emails: per the member's email preference for each kind, queued with the
// notification, rendered when sent with what the recipient may see then (not sent for what they
// can no longer see, nor once they switched email off), with List-Unsubscribe one-click (RFC 8058)
// and a signed unsubscribe link that works without signing in. A real SMTP server runs in this
// process; runDueJobs delivers.

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

const db = () => server.app.services.db;
const url = () => server.graphqlUrl;
const run = () => runDueJobs(server.app.services);

async function setChannel(member: Member, kind: string, channel: 'EMAIL' | 'DIGEST' | 'IN_APP', enabled: boolean) {
  const result = await mutate(url(), member, 'setNotificationPreference', { kind, channel, enabled });
  expect(result.__typename, JSON.stringify(result)).toBe('NotificationPreferencePayload');
}

async function preferences(member: Member) {
  const data = await call(url(), member, '{ viewer { notificationPreferences { kind inApp email digest } } }');
  return new Map(
    (
      data.viewer.notificationPreferences as Array<{ kind: string; inApp: boolean; email: boolean; digest: boolean }>
    ).map((row) => [row.kind, row]),
  );
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

/** Messages that arrive while `work` runs (delivery included). */
async function mailDuring(work: () => Promise<unknown>, expected: number): Promise<ReceivedMail[]> {
  const before = smtp.messages.length;
  await work();
  await run();
  const arrived = (await smtp.waitForMessages(before + expected)).slice(before);
  expect(arrived).toHaveLength(expected);
  return arrived;
}

function header(mail: ReceivedMail, name: string): string | undefined {
  return mail.parsed.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');
}

/** The message reached only its own recipient and names no other member anywhere. */
function expectOnlyFor(mail: ReceivedMail, recipient: Member, everyone: readonly Member[]) {
  expect(mail.envelope.to).toEqual([recipient.email]);
  expect(mail.parsed.cc).toBeUndefined();
  expect(mail.parsed.bcc).toBeUndefined();
  for (const other of everyone) if (other.email !== recipient.email) expect(mail.raw).not.toContain(other.email);
}

async function outboxFor(member: Member) {
  return db().emailOutbox.findMany({ where: { toUserId: userIdOf(member.id) }, orderBy: { id: 'asc' } });
}

describe('notification emails', () => {
  it('sends one email per notification when email is on for its kind, and none when it is off (the default)', async () => {
    const [owner, ada, bob, cy] = await members(url(), 4, 'Notify');
    const group = await createGroup(url(), owner!, { name: 'Quiet Club', visibility: 'PRIVATE' });
    // JOIN_REQUEST_RECEIVED: in-app only by default.
    expect((await preferences(owner!)).get('JOIN_REQUEST_RECEIVED')).toMatchObject({ email: false });
    await mailDuring(() => requestToJoin(ada!, group.id), 0);
    expect(await outboxFor(owner!)).toEqual([]);

    await setChannel(owner!, 'JOIN_REQUEST_RECEIVED', 'EMAIL', true);
    const mails = await mailDuring(async () => {
      await requestToJoin(bob!, group.id);
      await requestToJoin(cy!, group.id);
    }, 2);
    for (const mail of mails) expectOnlyFor(mail, owner!, [owner!, ada!, bob!, cy!]);
    expect(mails.map((mail) => mail.parsed.subject).sort()).toEqual(
      [`${bob!.name} asked to join Quiet Club`, `${cy!.name} asked to join Quiet Club`].sort(),
    );
    const rows = await outboxFor(owner!);
    expect(rows.map((row) => [row.category, row.template, row.status])).toEqual([
      ['NOTIFICATION', 'notification', 'SENT'],
      ['NOTIFICATION', 'notification', 'SENT'],
    ]);
  });

  it('has a text and an HTML part with the same working links, and List-Unsubscribe one-click headers', async () => {
    const [owner, ada] = await members(url(), 2, 'Parts');
    const group = await createGroup(url(), owner!, { name: 'Tom & Jerry <Club>', visibility: 'PRIVATE' });
    await setChannel(owner!, 'JOIN_REQUEST_RECEIVED', 'EMAIL', true);
    const [mail] = await mailDuring(() => requestToJoin(ada!, group.id), 1);

    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/im);
    expect(mail!.parsed.subject).toBe(`${ada!.name} asked to join Tom & Jerry <Club>`);
    const text = mail!.parsed.text!;
    const html = mail!.parsed.html as string;
    expect(text).toContain(`Hello ${owner!.name},`);
    // Names are text, never markup, in the HTML part.
    expect(html).toContain('Tom &amp; Jerry &lt;Club&gt;');
    expect(html).not.toContain('<Club>');

    const unsubscribe = header(mail!, 'list-unsubscribe');
    expect(header(mail!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribe).toMatch(/^<https?:\/\/[^>]+>$/);
    const unsubscribeUrl = unsubscribe!.slice(1, -1);

    // The same links in both parts: the notification's page, the settings, and the unsubscribe link.
    const links = linksIn(text);
    expect(hrefsIn(html)).toEqual(links);
    expect(links).toEqual([`${origin}/groups/${group.slug}/admin`, `${origin}/notifications`, unsubscribeUrl]);
    for (const link of links) expect(new URL(link).origin).toBe(origin);

    // The notification's link leads to the group's admin page, which the owner may open.
    const page = await fetch(links[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const seen = await call(
      url(),
      owner!,
      `{ group(slug: "${group.slug}") { viewerPermissions { approveRequests } } }`,
    );
    expect(seen.group.viewerPermissions.approveRequests).toBe(true);
    // The settings link leads to the web app.
    expect((await fetch(links[1]!)).status).toBe(200);
  });

  it('unsubscribes with the signed link: GET asks, POST (one-click, no session, no CSRF header) turns email off', async () => {
    const [owner, ada, bob] = await members(url(), 3, 'Unsub');
    const group = await createGroup(url(), owner!, { name: 'Leaving Club', visibility: 'PRIVATE' });
    await setChannel(owner!, 'JOIN_REQUEST_RECEIVED', 'EMAIL', true);
    await setChannel(owner!, 'EVENT_CREATED', 'EMAIL', true);
    const [mail] = await mailDuring(() => requestToJoin(ada!, group.id), 1);
    const link = header(mail!, 'list-unsubscribe')!.slice(1, -1);
    expect(linksIn(mail!.parsed.text!)).toContain(link);

    // GET only asks (link scanners open links): nothing changes.
    const asked = await fetch(link, { redirect: 'manual' });
    expect(asked.status).toBe(200);
    expect(asked.headers.get('set-cookie')).toBeNull();
    const askPage = await asked.text();
    expect(askPage).toContain('Join requests');
    const action = /<form method="post" action="([^"]+)"/.exec(askPage)?.[1]?.replaceAll('&amp;', '&');
    expect(new URL(action!, origin).toString()).toBe(link);
    expect((await preferences(owner!)).get('JOIN_REQUEST_RECEIVED')).toMatchObject({ email: true });

    // A changed link does nothing: another member, another kind, or a broken signature.
    const forged = [
      link.replace(/u=[^&]+/, `u=${userIdOf(ada!.id)}`),
      link.replace(/s=[^&]+/, 's=notification%3AEVENT_CREATED'),
      link.replace(/sig=[^&]+/, 'sig=AAAA'),
      `${origin}/email/unsubscribe`,
    ];
    for (const bad of forged) {
      const response = await fetch(bad, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status, bad).toBe(400);
    }
    expect((await preferences(owner!)).get('JOIN_REQUEST_RECEIVED')).toMatchObject({ email: true });
    expect((await preferences(owner!)).get('EVENT_CREATED')).toMatchObject({ email: true });

    // The RFC 8058 one-click POST, as a mail client sends it: no cookie, no Origin, no CSRF header.
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    const after = await preferences(owner!);
    expect(after.get('JOIN_REQUEST_RECEIVED')).toMatchObject({ email: false, inApp: true });
    expect(after.get('EVENT_CREATED')).toMatchObject({ email: true });
    // Again: still fine, nothing more changes.
    expect((await fetch(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    // The next join request still reaches the owner in the app, but not by email.
    await mailDuring(() => requestToJoin(bob!, group.id), 0);
    expect((await outboxFor(owner!)).map((row) => row.status)).toEqual(['SENT']);
    const inApp = await db().notification.count({
      where: { recipientId: userIdOf(owner!.id), kind: 'JOIN_REQUEST_RECEIVED' },
    });
    expect(inApp).toBe(2);
  });

  it('is rendered when sent: nothing goes to a recipient who can no longer see it, or who switched email off since', async () => {
    const [owner, mod, helper, ada] = await members(url(), 4, 'Access');
    const group = await createGroup(url(), owner!, { name: 'Old Name', visibility: 'PRIVATE' });
    for (const member of [mod!, helper!]) {
      const requestId = await requestToJoin(member, group.id);
      const approved = await mutate(url(), owner!, 'approveJoinRequest', { requestId });
      expect(approved.__typename, JSON.stringify(approved)).toBe('JoinRequestPayload');
      const promoted = await mutate(url(), owner!, 'changeMemberRole', {
        groupId: group.id,
        personId: personId(member),
        role: 'MODERATOR',
      });
      expect(promoted.__typename, JSON.stringify(promoted)).toBe('GroupMemberPayload');
    }
    for (const member of [owner!, mod!, helper!]) await setChannel(member, 'JOIN_REQUEST_RECEIVED', 'EMAIL', true);
    await run(); // whatever the set-up itself sent
    const before = smtp.messages.length;

    await requestToJoin(ada!, group.id);
    const queued = await db().emailOutbox.findMany({ where: { category: 'NOTIFICATION', status: 'PENDING' } });
    expect(queued.map((row) => row.toEmail).sort()).toEqual([owner!.email, mod!.email, helper!.email].sort());
    const deliveries = (await jobRows(db())).filter((job) => job.kind === 'email.deliver');
    expect(deliveries.map((job) => (job.payload as { outboxId: string }).outboxId).sort()).toEqual(
      queued.map((row) => row.id).sort(),
    );

    // Before delivery: the moderator is demoted (no longer sees join requests), the helper switches
    // email off, and the group is renamed.
    const demoted = await mutate(url(), owner!, 'changeMemberRole', {
      groupId: group.id,
      personId: personId(mod!),
      role: 'MEMBER',
    });
    expect(demoted.__typename).toBe('GroupMemberPayload');
    await setChannel(helper!, 'JOIN_REQUEST_RECEIVED', 'EMAIL', false);
    const renamed = await mutate(url(), owner!, 'updateGroup', { groupId: group.id, name: 'New Name' });
    expect(renamed.__typename, JSON.stringify(renamed)).toBe('GroupPayload');

    await run();
    const arrived = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(arrived).toHaveLength(1);
    expectOnlyFor(arrived[0]!, owner!, [owner!, mod!, helper!, ada!]);
    expect(arrived[0]!.parsed.subject).toBe(`${ada!.name} asked to join New Name`);
    const settled = await db().emailOutbox.findMany({ where: { id: { in: queued.map((row) => row.id) } } });
    const status = (member: Member) => settled.find((row) => row.toEmail === member.email)?.status;
    expect(status(owner!)).toBe('SENT');
    expect(status(mod!)).toBe('CANCELLED');
    expect(status(helper!)).toBe('CANCELLED');
  });

  it('answers an unsigned link with 400, and other methods than GET, HEAD and POST with 405', async () => {
    const response = await gql(`${origin}/email/unsubscribe`, '{ __typename }');
    expect(response.status).toBe(400);
    expect((await fetch(`${origin}/email/unsubscribe`, { method: 'PUT' })).status).toBe(405);
  });
});
