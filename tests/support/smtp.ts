import net from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

// A real SMTP server inside the test process (smtp-server), and every message it accepts parsed
// with mailparser: what a mail client would see. Tests can make it refuse the next messages with
// a temporary (4xx) or permanent (5xx) answer, as a real server under trouble would.

export interface ReceivedMail {
  /** SMTP envelope: MAIL FROM and every RCPT TO. */
  envelope: { from: string; to: string[] };
  /** The message exactly as sent (headers and both parts). */
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Answer the next `count` messages with `code` (451 temporary, 550 permanent) at MAIL FROM. */
  refuseNext(count: number, code: number): void;
  /** How many messages were refused so far. */
  refused(): number;
  /** Resolves once `count` messages (in total) have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let refuse: { count: number; code: number } = { count: 0, code: 451 };
  let refusedCount = 0;
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS offer (its self-signed certificate would be refused), no auth.
    disabledCommands: ['STARTTLS', 'AUTH'],
    hideSTARTTLS: true,
    authOptional: true,
    logger: false,
    size: 5 * 1024 * 1024,
    onMailFrom(_address: SMTPServerAddress, _session, callback) {
      if (refuse.count > 0) {
        refuse.count -= 1;
        refusedCount += 1;
        const error = Object.assign(new Error(refuse.code >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
          responseCode: refuse.code,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
              raw: raw.toString('utf8'),
              parsed,
            });
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as net.AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext(count, code) {
      refuse = { count, code };
    },
    refused: () => refusedCount,
    waitForMessages(count, timeoutMs = 20_000) {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        // A deadline for a condition (the message arriving), not a wait for time to pass.
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} messages, got ${messages.length}`));
        }, timeoutMs);
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice());
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port that is free now: mail links carry the server's origin, so it must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Every link in the text part (the HTML part carries the same ones). */
export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]);
}

/** The HTML part's href values, unescaped. */
export function hrefsIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));
}
