import { createTransport, type Transporter } from 'nodemailer';
import type { Env } from '../../env.js';

// SMTP through nodemailer, configured by SMTP_URL (smtp:// upgrades with STARTTLS when the server
// offers it; smtps:// is TLS from the start). One transporter per configuration; a connection per
// message (no pool), so nothing stays open between deliveries and nothing needs closing.

export type EmailEnv = Pick<Env, 'SMTP_URL' | 'EMAIL_FROM' | 'PUBLIC_ORIGIN'>;

const transporters = new Map<string, Transporter>();

/** null without SMTP_URL: email then stays in the outbox and is logged. */
export function smtpTransporter(env: EmailEnv): Transporter | null {
  if (!env.SMTP_URL) return null;
  let transporter = transporters.get(env.SMTP_URL);
  if (!transporter) {
    transporter = createTransport({
      url: env.SMTP_URL,
      // Well inside the job's lease, so a hung server fails the attempt instead of the lease.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    transporters.set(env.SMTP_URL, transporter);
  }
  return transporter;
}

/** The From header: EMAIL_FROM, or "Guildhall <no-reply@host of PUBLIC_ORIGIN>". */
export function fromAddress(env: EmailEnv): string {
  return env.EMAIL_FROM ?? `Guildhall <no-reply@${new URL(env.PUBLIC_ORIGIN).hostname}>`;
}

/** The same Message-ID on every attempt of one outbox row (so a resend after a crash is recognisable). */
export function messageIdFor(env: EmailEnv, outboxId: string): string {
  const from = fromAddress(env);
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1) || 'guildhall.invalid';
  return `<${outboxId}@${domain}>`;
}
