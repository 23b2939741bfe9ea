import { z } from 'zod';
import type { DbClient } from '../../db.js';
import type { EmailOutbox, Prisma } from '../../generated/prisma/client.js';
import type { EmailStatus } from '../../generated/prisma/enums.js';
import { now } from '../../lib/clock.js';
import { defineJob, type JobRunContext } from '../jobs/index.js';
import { type RenderedEmail, renderEmail } from './email-layout.js';
import { emailTemplate, type TemplateRecipient } from './email-templates.js';
import { fromAddress, messageIdFor, smtpTransporter } from './smtp-transport.js';
import { signingSecret, unsubscribeUrl } from './unsubscribe-links.js';

// One "email.deliver" job per outbox row, scheduled in the transaction that queues the row
// (outbox.ts). It runs outside a transaction (SMTP is an external effect), so it is written to be
// idempotent: it acts only on a PENDING row, every state change is a conditional update on
// status = PENDING, and the Message-ID is fixed per row, so a resend after a crash between
// "accepted by SMTP" and "marked sent" carries the same Message-ID.
//
// Outcomes: SENT; HELD (no SMTP_URL: kept, logged with its subject and link); CANCELLED (the
// template has nothing to send any more); FAILED (refused for good, or the last attempt failed).
// A temporary failure throws, and the job runner retries with backoff.

export const DELIVERY_MAX_ATTEMPTS = 8;
/** After the first failure; it doubles each time (1, 2, 4 … 64 minutes, plus jitter). */
export const DELIVERY_BACKOFF = { baseMs: 60_000, maxMs: 2 * 60 * 60 * 1000 };

const payload = z.object({ outboxId: z.uuid() });

export const deliverEmailJob = defineJob('email.deliver', {
  payload,
  mode: 'outside',
  maxAttempts: DELIVERY_MAX_ATTEMPTS,
  // An SMTP server that is down for about two hours loses nothing.
  backoff: DELIVERY_BACKOFF,
  // Longer than any one send can take (connection + greeting + a socket timeout that restarts with
  // every byte), so a slow send is never taken over and sent a second time by another run.
  leaseMs: 5 * 60_000,
  run: deliver,
});

type Prepared =
  | { outcome: 'ready'; email: RenderedEmail; unsubscribe: string | undefined; link: string | null }
  | { outcome: 'cancelled'; reason: string | null }
  | { outcome: 'failed'; reason: string };

/** What the row's template says now (rendered at send time, with the recipient's access now). */
async function prepare(row: EmailOutbox, ctx: JobRunContext): Promise<Prepared> {
  const { db, services } = ctx;
  const env = services.env;
  const template = emailTemplate(row.template);
  if (!template) return { outcome: 'failed', reason: `unknown template "${row.template}"` };
  const data = template.data.safeParse(row.data);
  if (!data.success) return { outcome: 'failed', reason: `invalid data: ${data.error.message}` };

  let recipient: TemplateRecipient | null = null;
  if (row.toUserId) {
    recipient = await db.user.findUnique({
      where: { id: row.toUserId },
      select: { id: true, name: true, email: true, timeZone: true },
    });
    if (!recipient) return { outcome: 'cancelled', reason: 'the recipient no longer exists' };
    // An address that changed since: the email was meant for the old one, which is no longer theirs.
    if (recipient.email !== row.toEmail) return { outcome: 'cancelled', reason: 'the recipient changed address' };
  }

  const output = await template.render(data.data, { db, env, recipient, now: ctx.now });
  if (!output) return { outcome: 'cancelled', reason: null };
  const unsubscribe =
    output.unsubscribe && recipient
      ? unsubscribeUrl(env.PUBLIC_ORIGIN, await signingSecret(services.db, env), recipient.id, output.unsubscribe)
      : undefined;
  const email = renderEmail(output.content, {
    reason: output.reason,
    unsubscribeUrl: unsubscribe,
    settingsUrl: output.settingsPath ? new URL(output.settingsPath, env.PUBLIC_ORIGIN).toString() : undefined,
  });
  const link = output.content.action?.url ?? output.content.items?.[0]?.url ?? null;
  return { outcome: 'ready', email, unsubscribe, link };
}

/** 5xx from the SMTP server: the message is refused for good (a retry gets the same answer). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

async function deliver({ outboxId }: z.infer<typeof payload>, ctx: JobRunContext): Promise<void> {
  const { db, services, logger } = ctx;
  const env = services.env;
  const row = await db.emailOutbox.findUnique({ where: { id: outboxId } });
  if (row?.status !== 'PENDING') return; // already decided (a second run after a crash, or a duplicate)

  // A link that is a secret (sign-up, reset, verification: only its hash is kept elsewhere) does
  // not outlive the row's last chance to be sent; HELD keeps it (the demo's promise: nothing lost).
  const secret = emailTemplate(row.template)?.secret === true;
  const erased = secret ? { data: { erased: true } } : {};
  const settle = (status: EmailStatus, data: Prisma.EmailOutboxUpdateManyMutationInput = {}) =>
    settleRow(db, row.id, status, status === 'HELD' || status === 'PENDING' ? data : { ...erased, ...data });
  const lastAttempt = ctx.attempt >= DELIVERY_MAX_ATTEMPTS;

  let prepared: Prepared;
  try {
    prepared = await prepare(row, ctx);
  } catch (error) {
    // The database or a template failed: retry like a refused connection, and give up at the end.
    if (!lastAttempt) throw error;
    prepared = { outcome: 'failed', reason: errorText(error) };
  }
  // Each outcome is logged by the run that recorded it (a second run holding the row changes nothing).
  if (prepared.outcome === 'failed') {
    if ((await settle('FAILED', { lastError: prepared.reason })).count > 0)
      logger.error('email failed for good', { outboxId, template: row.template, error: prepared.reason });
    return;
  }
  if (prepared.outcome === 'cancelled') {
    if ((await settle('CANCELLED', { lastError: prepared.reason })).count > 0)
      logger.info('email cancelled: nothing to send any more', { outboxId, template: row.template });
    return;
  }
  const { email, unsubscribe, link } = prepared;

  const transporter = smtpTransporter(env);
  if (!transporter) {
    // The embedded default has no mailer: keep the email and tell the person running the server,
    // one line per message, so the demo can still verify an address.
    const held = await settle('HELD', { subject: email.subject });
    if (held.count === 0) return; // another run decided it first
    logger.info('email not sent (no SMTP_URL); kept in the outbox', {
      outboxId,
      to: row.toEmail,
      subject: email.subject,
      // In production a secret link stays out of the log: set SMTP_URL there.
      link: secret && env.isProduction ? undefined : link,
    });
    return;
  }

  const messageId = row.messageId ?? messageIdFor(env, row.id);
  // Recorded before sending: a crash after the SMTP server accepted leaves this trace behind. The
  // compare-and-set on attempts lets one run through when two hold the same row at once.
  const started = await db.emailOutbox.updateMany({
    where: { id: row.id, status: 'PENDING', attempts: row.attempts },
    data: { attempts: { increment: 1 }, subject: email.subject, messageId },
  });
  if (started.count === 0) return;

  try {
    await transporter.sendMail({
      from: fromAddress(env),
      // Only the recipient's own address, stored when the email was queued.
      to: row.toEmail,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: unsubscribe
        ? {
            // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
            'List-Unsubscribe': `<${unsubscribe}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : undefined,
    });
  } catch (error) {
    const reason = errorText(error);
    const permanent = isPermanent(error);
    if (permanent || lastAttempt) {
      await settle('FAILED', { lastError: reason });
      logger.error('email failed for good', { outboxId, attempts: ctx.attempt, permanent, error: reason });
      return;
    }
    await settle('PENDING', { lastError: reason });
    throw error; // the job runner retries after its backoff
  }

  await settle('SENT', { sentAt: now(), lastError: null });
  logger.info('email sent', { outboxId, messageId, template: row.template });
}

function settleRow(
  db: DbClient,
  id: string,
  status: EmailStatus,
  data: Prisma.EmailOutboxUpdateManyMutationInput,
): Promise<Prisma.BatchPayload> {
  return db.emailOutbox.updateMany({ where: { id, status: 'PENDING' }, data: { status, ...data } });
}
