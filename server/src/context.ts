import type { Db } from './db.js';
import type { Env } from './env.js';
import type { Logger } from './logger.js';
import type { PubSub } from './pubsub.js';

/**
 * Long-lived services every request can reach. A module with per-instance parts (chat: its feeds,
 * inboxes, presence) adds them by merging into this interface, and app.ts builds them:
 *
 *   declare module '../../context.js' { interface AppServices { chat: ChatRuntime } }
 */
export interface AppServices {
  env: Env;
  db: Db;
  pubsub: PubSub;
  logger: Logger;
}

export interface Viewer {
  id: string;
  sessionId: string;
}

export interface Context extends AppServices {
  viewer: Viewer | null;
  /** The client's address, for rate limits. */
  clientAddress: string;
  userAgent: string | null;
  transport: 'http' | 'ws';
  /** Set-Cookie values to add to the HTTP response; ignored over WebSocket. */
  responseCookies: string[];
}
