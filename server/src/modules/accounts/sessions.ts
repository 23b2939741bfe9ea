import { createHash, randomBytes } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Db, DbClient } from '../../db.js';
import type { SessionCache } from './session-cache.js';

// Sessions are opaque random tokens; only their SHA-256 is stored, so a database leak
// does not hand out working tokens.

export const SESSION_COOKIE = 'gh_session';

/**
 * On https the cookie is `__Host-gh_session`: browsers accept that name only with Secure, Path=/
 * and no Domain, so no sibling subdomain can set or shadow it (cookie tossing). Plain http (local
 * use) cannot carry Secure cookies, so there it keeps the plain name.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
const TOKEN_BYTES = 32; // 256 bits
/** Renew the expiry at most this often, so a busy member does not write on every request. */
const RENEW_AFTER_MS = 60 * 60 * 1000;

export interface AuthenticatedSession {
  sessionId: string;
  userId: string;
}

export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashSessionToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

export async function createSession(
  db: DbClient,
  input: { userId: string; ttlMs: number; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await db.session.create({
    data: {
      tokenHash: hashSessionToken(token),
      userId: input.userId,
      expiresAt,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    },
  });
  return { token, expiresAt };
}

/**
 * Returns the live session behind a token, sliding its expiry forward when due. With a cache, a
 * session read lately is not read again (session-cache.ts says when that is safe).
 */
export async function resolveSession(
  db: Db,
  token: string | null | undefined,
  ttlMs: number,
  cache?: SessionCache,
): Promise<(AuthenticatedSession & { renewedUntil: Date | null }) | null> {
  if (!token || token.length > 200) return null;
  const now = new Date();
  const tokenHash = hashSessionToken(token);
  const cacheKey = cache ? Buffer.from(tokenHash.buffer).toString('hex') : '';
  const cached = cache?.get(cacheKey, now);
  if (cached && now.getTime() - cached.lastUsedAt.getTime() <= RENEW_AFTER_MS) {
    return { sessionId: cached.sessionId, userId: cached.userId, renewedUntil: null };
  }
  const keep = cache?.beginRead();
  // Every authenticated request runs this: plain SQL costs about half of a Prisma model query here.
  // A suspended member's sessions are revoked when they are suspended; the join also refuses one a
  // sign-in made while the suspension committed.
  const rows = await db.$queryRaw<
    Array<{ id: string; userId: string; expiresAt: Date; lastUsedAt: Date; revokedAt: Date | null }>
  >`
    SELECT s."id", s."userId", s."expiresAt", s."lastUsedAt", s."revokedAt"
      FROM "Session" s JOIN "User" u ON u."id" = s."userId"
     WHERE s."tokenHash" = ${tokenHash} AND u."suspendedAt" IS NULL`;
  const session = rows[0];
  if (!session || session.revokedAt || session.expiresAt <= now) return null;

  let renewedUntil: Date | null = null;
  let { lastUsedAt, expiresAt } = session;
  if (now.getTime() - session.lastUsedAt.getTime() > RENEW_AFTER_MS) {
    renewedUntil = new Date(now.getTime() + ttlMs);
    await db.session.update({ where: { id: session.id }, data: { lastUsedAt: now, expiresAt: renewedUntil } });
    lastUsedAt = now;
    expiresAt = renewedUntil;
  }
  keep?.(cacheKey, { sessionId: session.id, userId: session.userId, lastUsedAt, expiresAt });
  return { sessionId: session.id, userId: session.userId, renewedUntil };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * One cookie's value from a Cookie header. A value that does not decode (a broken percent-escape)
 * comes back as it was sent: it matches no session, so the request is simply signed out.
 */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  return parseCookie(header)[name] ?? null;
}

export function readBearer(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

export function sessionCookie(token: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  return stringifySetCookie({
    name: sessionCookieName(options.secure),
    value: token,
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: options.maxAgeSeconds,
    secure: options.secure,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeSeconds: 0, secure });
}
