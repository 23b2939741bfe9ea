import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, now, nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { requestEmailVerification } from '../../server/src/modules/accounts/email-verification.js';
import { DELIVERY_MAX_ATTEMPTS, deliverEmailJob } from '../../server/src/modules/email/delivery.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Member, uniqueEmail } from '../support/graphql.js';
import { call, members, mutate, userIdOf } from '../support/groups.js';
import { eventually, jobRows, logLines, withTestDatabase } from '../support/jobs.js';
import { spawnServer, startServer, type TestServer } from '../support/server.js';
import { createMemberIn } from '../support/sign-up.js';
import {
  freePort,
  hrefsIn,
  linksIn,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '../support/smtp.js';

// The outbox delivered over SMTP by the job runner: one "email.deliver" job per row, scheduled in
// the transaction that queues the email; a text and an HTML part; retries with backoff, and FAILED
// at the end; without SMTP_URL the email is held and logged. A real SMTP server runs in this
// process and every message is parsed as a mail client would. Time moves through the server clock;
// runDueJobs runs what is due instead of waiting for a poll.

const HOUR = 60 * 60 * 1000;
const FROM = 'hello@guildhall.test';
const REQUEST = 'mutation { requestEmailVerification { __typename ... on RequestEmailVerificationPayload { sent } } }';

let smtp: TestSmtpServer;
let server: TestServer;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer({
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: `Guildhall Test <${FROM}>`,
      PORT: String(port),
      PUBLIC_ORIGIN: origin,
      // Only runDueJobs delivers here, so each test sees its own outcomes.
      JOBS_ENABLED: 'false',
    },
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

async function outboxOf(member: Member) {
  return db().emailOutbox.findMany({ where: { toUserId: userIdOf(member.id) }, orderBy: { id: 'asc' } });
}

async function deliveryJobs() {
  return (await jobRows(db())).filter((job) => job.kind === 'email.deliver');
}

/** The message reached only its own recipient and names no other member anywhere. */
function expectOnlyFor(mail: ReceivedMail, recipient: Member, others: readonly Member[]) {
  expect(mail.envelope.to).toEqual([recipient.email]);
  expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value.map((a) => a.address) : []).toEqual([
    recipient.email,
  ]);
  expect(mail.parsed.cc).toBeUndefined();
  expect(mail.parsed.bcc).toBeUndefined();
  for (const other of others) if (other.email !== recipient.email) expect(mail.raw).not.toContain(other.email);
}

describe('email delivery over SMTP', () => {
  it('queues the email and one delivery job in the same transaction; a rollback leaves neither', async () => {
    const [member] = await members(url(), 1, 'Rollback');
    const userId = userIdOf(member!.id);
    await expect(
      db().$transaction(async (tx) => {
        await requestEmailVerification(tx, { userId, publicOrigin: origin });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxOf(member!)).toEqual([]);
    expect(await db().emailVerification.count({ where: { userId } })).toBe(0);
    expect(await deliveryJobs()).toEqual([]);

    await call(url(), member!, REQUEST);
    const [row] = await outboxOf(member!);
    expect(row).toMatchObject({ status: 'PENDING', template: 'verify-email', category: 'ACCOUNT' });
    const jobs = await deliveryJobs();
    expect(jobs.map((job) => job.payload)).toEqual([{ outboxId: row!.id }]);
    expect(await run()).toBe(1);
    expect(await deliveryJobs()).toEqual([]);
  });

  it('sends the verification email with a text and an HTML part whose link verifies the address', async () => {
    const [ada, other] = await members(url(), 2, 'Ada');
    const before = smtp.messages.length;
    expect((await call(url(), ada!, REQUEST)).requestEmailVerification.sent).toBe(true);
    expect(await run()).toBe(1);
    const mail = (await smtp.waitForMessages(before + 1))[before]!;

    expect(mail.parsed.from?.value).toEqual([{ address: FROM, name: 'Guildhall Test' }]);
    expect(mail.envelope.from).toBe(FROM);
    expectOnlyFor(mail, ada!, [other!]);
    expect(mail.parsed.subject).toBe('Confirm your email address for Guildhall');
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/im);
    expect(mail.parsed.text).toContain(`Hello ${ada!.name},`);
    expect(mail.parsed.html).toBeTruthy();
    // Account email: nothing to unsubscribe from.
    expect(mail.parsed.headers.has('list-unsubscribe')).toBe(false);

    const textLinks = linksIn(mail.parsed.text!);
    expect(textLinks).toHaveLength(1);
    const link = new URL(textLinks[0]!);
    expect(link.origin + link.pathname).toBe(`${origin}/verify-email`);
    expect(hrefsIn(mail.parsed.html as string)).toEqual([link.toString()]);

    const [row] = await outboxOf(ada!);
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, subject: mail.parsed.subject, lastError: null });
    expect(row!.messageId).toBe(mail.parsed.messageId);
    // The token lived only in the email: the outbox forgets it once sent.
    expect(JSON.stringify(row!.data)).not.toContain(link.searchParams.get('token'));

    // Following the link (what /verify-email does with it) verifies the address.
    const verified = await mutate(
      url(),
      ada!,
      'verifyEmail',
      { token: link.searchParams.get('token') },
      '... on VerifyEmailPayload { viewer { emailVerifiedAt } }',
    );
    expect(verified.viewer.emailVerifiedAt).toBeTruthy();
  });

  it('retries a temporary refusal with growing delays, then sends once with the same Message-ID', async () => {
    const [member] = await members(url(), 1, 'Retry');
    const before = smtp.messages.length;
    smtp.refuseNext(2, 451);
    await call(url(), member!, REQUEST);

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const startedAt = nowMs();
      expect(await run()).toBe(1);
      const [row] = await outboxOf(member!);
      expect(row).toMatchObject({ status: 'PENDING', attempts: attempt });
      expect(row!.lastError).toContain('451');
      const [job] = await deliveryJobs();
      delays.push(job!.runAt.getTime() - startedAt);
      // Not due 5 s before its time (the clock is the wall clock plus an offset, so it keeps moving while
      // the runner works: a 1 ms margin was overtaken on a loaded machine)…
      advanceClock(job!.runAt.getTime() - nowMs() - 5_000);
      expect(await run()).toBe(0);
      advanceClock(5_000);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(60_000);
    expect(delays[1]).toBeGreaterThan(delays[0]!);

    expect(await run()).toBe(1);
    const [row] = await outboxOf(member!);
    expect(row).toMatchObject({ status: 'SENT', attempts: 3, lastError: null });
    const arrived = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.parsed.messageId).toBe(row!.messageId);
    expect(await deliveryJobs()).toEqual([]);
  });

  it('sends once when two runs hold the same row at once (a job taken over in the middle of a send)', async () => {
    const [member] = await members(url(), 1, 'Twice');
    const before = smtp.messages.length;
    await call(url(), member!, REQUEST);
    const [row] = await outboxOf(member!);
    const services = server.app.services;
    const runOnce = () =>
      deliverEmailJob.run(
        { outboxId: row!.id },
        {
          db: services.db,
          services,
          now: now(),
          attempt: 1,
          logger: services.logger,
          signal: new AbortController().signal,
        },
      );
    await Promise.all([runOnce(), runOnce()]);
    expect(smtp.messages.length - before).toBe(1);
    expect((await outboxOf(member!))[0]).toMatchObject({ status: 'SENT', attempts: 1 });
    // The job itself finds the row sent and sends nothing more.
    expect(await run()).toBe(1);
    expect(smtp.messages.length - before).toBe(1);
  });

  it('marks a permanently refused email FAILED at once, without retrying', async () => {
    const [member] = await members(url(), 1, 'Refused');
    const before = smtp.messages.length;
    smtp.refuseNext(1, 550);
    await call(url(), member!, REQUEST);
    expect(await run()).toBe(1);
    const [row] = await outboxOf(member!);
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1, sentAt: null });
    expect(row!.lastError).toContain('550');
    // Its link was a secret: it does not stay behind in a row that will never be sent.
    expect(row!.data).toEqual({ erased: true });
    expect(await deliveryJobs()).toEqual([]);
    advanceClock(24 * HOUR);
    expect(await run()).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });

  it(`gives up after ${DELIVERY_MAX_ATTEMPTS} temporary refusals: FAILED, with the last error`, async () => {
    const [member] = await members(url(), 1, 'Doomed');
    const before = smtp.messages.length;
    const refusedBefore = smtp.refused();
    smtp.refuseNext(DELIVERY_MAX_ATTEMPTS, 451);
    await call(url(), member!, REQUEST);
    for (let attempt = 1; attempt <= DELIVERY_MAX_ATTEMPTS; attempt++) {
      expect(await run()).toBe(1);
      advanceClock(3 * HOUR); // beyond the longest backoff
    }
    const [row] = await outboxOf(member!);
    expect(row).toMatchObject({ status: 'FAILED', attempts: DELIVERY_MAX_ATTEMPTS, sentAt: null });
    expect(row!.lastError).toContain('451');
    expect(smtp.refused() - refusedBefore).toBe(DELIVERY_MAX_ATTEMPTS);
    expect(await deliveryJobs()).toEqual([]);
    expect(await run()).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });

  it('does not send a verification email whose link expired while the SMTP server was down', async () => {
    const [member] = await members(url(), 1, 'Late');
    const before = smtp.messages.length;
    smtp.refuseNext(1, 451);
    await call(url(), member!, REQUEST);
    expect(await run()).toBe(1);
    advanceClock(49 * HOUR);
    expect(await run()).toBe(1);
    const [row] = await outboxOf(member!);
    expect(row).toMatchObject({ status: 'CANCELLED', data: { erased: true } });
    expect(smtp.messages.length).toBe(before);
  });
});

describe('without SMTP_URL (the embedded default)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('keeps every email in the outbox (HELD) and logs one line per message with its subject and link', async () => {
    // A real server process, as `pnpm start` runs it, with its job runner on: what a person running
    // the demo sees in the log.
    // Members made in the database first (a sign-up through the process would confirm their addresses).
    const people: Member[] = await withTestDatabase(database, async (db) => [
      await createMemberIn(db, { email: uniqueEmail('demo'), password: 'correct horse battery', name: 'Demo 1' }),
      await createMemberIn(db, { email: uniqueEmail('demo'), password: 'correct horse battery', name: 'Demo 2' }),
    ]);
    const demo = await spawnServer({ ...database.env });
    const tokens = new Map<string, string>();
    try {
      for (const member of people) await call(demo.graphqlUrl, member, REQUEST);
      const held = await eventually(async () => {
        const lines = logLines(demo.output()).filter(
          (line) => line.message === 'email not sent (no SMTP_URL); kept in the outbox',
        );
        return lines.length >= people.length ? lines : undefined;
      }, 'a log line per held email');
      expect(held).toHaveLength(people.length);
      for (const line of held) {
        expect(line.subject).toBe('Confirm your email address for Guildhall');
        const link = new URL(String(line.link));
        expect(link.pathname).toBe('/verify-email');
        tokens.set(String(line.to), link.searchParams.get('token')!);
      }
      expect([...tokens.keys()].sort()).toEqual(people.map((member) => member.email).sort());

      // The logged link is enough to verify the address.
      for (const member of people) {
        const verified = await mutate(
          demo.graphqlUrl,
          member,
          'verifyEmail',
          { token: tokens.get(member.email) },
          '... on VerifyEmailPayload { viewer { emailVerifiedAt } }',
        );
        expect(verified.viewer.emailVerifiedAt).toBeTruthy();
      }
    } finally {
      await demo.stop();
    }

    await withTestDatabase(database, async (opened) => {
      const rows = await opened.emailOutbox.findMany({ where: { template: 'verify-email' } });
      expect(rows.map((row) => row.status)).toEqual(['HELD', 'HELD']);
      // Held, not lost: still there with what it would have said.
      for (const row of rows) expect(JSON.stringify(row.data)).toContain(tokens.get(row.toEmail)!);
      expect(await opened.job.count({ where: { kind: 'email.deliver' } })).toBe(0);
    });
  });
});
