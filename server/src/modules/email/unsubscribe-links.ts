import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db.js';
import type { Env } from '../../env.js';

// Signed unsubscribe links: they work without signing in, so the link itself is the proof. The
// signature is an HMAC-SHA256 over (user id, scope) with one server secret: EMAIL_SIGNING_SECRET
// when set, otherwise a random secret generated on first use and kept in the database, so every
// instance signs and checks with the same key.

/** What one link turns off: email for one notification kind, or the digest. */
export type UnsubscribeScope = { kind: 'notification'; notificationKind: string } | { kind: 'digest' };

export const UNSUBSCRIBE_PATH = '/email/unsubscribe';

const SECRET_NAME = 'unsubscribe-links';
const SCOPE = /^(?:digest|notification:[A-Za-z][A-Za-z0-9_.-]{0,99})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function scopeText(scope: UnsubscribeScope): string {
  return scope.kind === 'digest' ? 'digest' : `notification:${scope.notificationKind}`;
}

export function parseScope(text: string): UnsubscribeScope | null {
  if (!SCOPE.test(text)) return null;
  if (text === 'digest') return { kind: 'digest' };
  return { kind: 'notification', notificationKind: text.slice('notification:'.length) };
}

const secrets = new WeakMap<Db, Promise<Buffer>>();

/** The signing key: from the environment, or the database's (created once, shared by all instances). */
export function signingSecret(db: Db, env: Pick<Env, 'EMAIL_SIGNING_SECRET'>): Promise<Buffer> {
  if (env.EMAIL_SIGNING_SECRET) return Promise.resolve(Buffer.from(env.EMAIL_SIGNING_SECRET, 'utf8'));
  let secret = secrets.get(db);
  if (!secret) {
    secret = loadOrCreateSecret(db);
    secrets.set(db, secret);
    // A failed read (database down) is not remembered: the next call tries again.
    secret.catch(() => secrets.delete(db));
  }
  return secret;
}

async function loadOrCreateSecret(db: Db): Promise<Buffer> {
  // ON CONFLICT DO NOTHING: when two instances start at once, the first insert wins and both read it.
  await db.emailSecret.createMany({ data: [{ name: SECRET_NAME, secret: randomBytes(32) }], skipDuplicates: true });
  const row = await db.emailSecret.findUniqueOrThrow({ where: { name: SECRET_NAME }, select: { secret: true } });
  return Buffer.from(row.secret);
}

function signature(secret: Buffer, userId: string, scope: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${userId}\n${scope}`).digest('base64url');
}

export function unsubscribeUrl(origin: string, secret: Buffer, userId: string, scope: UnsubscribeScope): string {
  const text = scopeText(scope);
  const url = new URL(UNSUBSCRIBE_PATH, origin);
  url.searchParams.set('u', userId);
  url.searchParams.set('s', text);
  url.searchParams.set('sig', signature(secret, userId, text));
  return url.toString();
}

/** The (user, scope) a link names when its signature is right; null for anything else. */
export function verifyUnsubscribeLink(
  secret: Buffer,
  params: URLSearchParams,
): { userId: string; scope: UnsubscribeScope } | null {
  const userId = params.get('u') ?? '';
  const text = params.get('s') ?? '';
  const given = Buffer.from(params.get('sig') ?? '', 'base64url');
  if (!UUID.test(userId)) return null;
  const scope = parseScope(text);
  if (!scope) return null;
  const expected = Buffer.from(signature(secret, userId, text), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, scope };
}
