import type { IncomingMessage } from 'node:http';
import type { AppServices, Viewer } from '../../context.js';
import type { Db } from '../../db.js';
import { listenTo } from '../../pubsub.js';
import { sessionTtlMs } from './accounts.service.js';
import { readBearer, readCookie, resolveSession, sessionCookie, sessionCookieName } from './sessions.js';

// Who is on the other end of a request or a socket. The transports (graphql/, http/) know
// nothing of sessions: app.ts hands them these functions.

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** A session was revoked (sign-out): its viewerSessionRevoked subscribers are told (sockets close through 'sessions:revoked'). */
    'session:revoked': [sessionId: string, payload: { sessionId: string }];
    /** The same, on one topic for all sessions: each instance closes the sockets it holds. */
    'sessions:revoked': [payload: { sessionId: string }];
  }
}

type Services = Pick<AppServices, 'db' | 'env'> & Partial<Pick<AppServices, 'sessionCache'>>;

export interface HttpAuthentication {
  viewer: Viewer | null;
  /** Set-Cookie values for the answer: the renewed session cookie when its expiry slid forward. */
  responseCookies: string[];
}

/** A request's session: `Authorization: Bearer …` first, else the session cookie. */
export async function authenticateHttp(
  services: Services,
  headers: { authorization?: string | null; cookie?: string | null },
): Promise<HttpAuthentication> {
  const { env, db } = services;
  const secure = isSecureOrigin(env);
  const bearer = readBearer(headers.authorization);
  const cookieToken = readCookie(headers.cookie, sessionCookieName(secure));
  const ttlMs = sessionTtlMs(env);
  const session = await resolveSession(db, bearer ?? cookieToken, ttlMs, services.sessionCache);
  const responseCookies: string[] = [];
  if (session?.renewedUntil && !bearer && cookieToken) {
    // Sliding expiry: the browser's cookie lives as long as the renewed session.
    responseCookies.push(sessionCookie(cookieToken, { maxAgeSeconds: ttlMs / 1000, secure }));
  }
  return { viewer: session ? { id: session.userId, sessionId: session.sessionId } : null, responseCookies };
}

/** Reached over https: the session cookie is Secure and `__Host-` prefixed. */
function isSecureOrigin(env: Services['env']): boolean {
  return env.PUBLIC_ORIGIN.startsWith('https:');
}

/** A Fetch API request (Yoga's) as headers for authenticateHttp. */
export function fetchHeaders(request: Request): { authorization: string | null; cookie: string | null } {
  return { authorization: request.headers.get('authorization'), cookie: request.headers.get('cookie') };
}

/**
 * A WebSocket's session: `connectionParams.authToken`, else the upgrade request's cookie. A bad
 * explicit token is refused; a stale cookie just means "signed out".
 */
export async function authenticateSocket(
  services: Services,
  request: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
): Promise<Viewer | null | 'refuse'> {
  const explicit = connectionParams?.authToken;
  const token =
    typeof explicit === 'string'
      ? explicit
      : readCookie(request.headers.cookie, sessionCookieName(isSecureOrigin(services.env)));
  const session = await resolveSession(services.db, token, sessionTtlMs(services.env));
  if (!session) return typeof explicit === 'string' ? 'refuse' : null;
  return { id: session.userId, sessionId: session.sessionId };
}

/** Still signed in? (A session may be revoked on another instance while a socket stays open.) */
export async function isSessionLive(db: Db, sessionId: string): Promise<boolean> {
  const live = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM "Session" s JOIN "User" u ON u."id" = s."userId"
     WHERE s."id" = ${sessionId}::uuid AND s."revokedAt" IS NULL AND s."expiresAt" > ${new Date()}
       AND u."suspendedAt" IS NULL`;
  return live.length > 0;
}

/** Calls `onRevoked` for every session revoked on any instance, until the returned function is called. */
export function watchRevokedSessions(
  services: Pick<AppServices, 'pubsub' | 'logger'>,
  onRevoked: (sessionId: string) => void,
): () => void {
  return listenTo(
    services.pubsub.subscribe('sessions:revoked'),
    (revoked) => onRevoked(revoked.sessionId),
    services.logger,
    'session revocations',
  );
}
