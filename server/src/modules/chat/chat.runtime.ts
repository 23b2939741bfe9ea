import type { Db } from '../../db.js';
import type { Env } from '../../env.js';
import type { Logger } from '../../logger.js';
import type { SocketConnection } from '../../graphql/websocket.js';
import { listenTo, type PubSub } from '../../pubsub.js';
import { AccessChanges } from './access-changes.js';
import { ConversationFeeds } from './conversation-feeds.js';
import { InboxHub } from './inbox.js';
import { createPresenceTracker, type PresenceTracker } from './presence.js';

// The chat module's long-lived parts on one server instance: shared conversation feeds, live
// inboxes, presence. Created by buildApp, closed on shutdown.

/** Typing nudges from one member in one conversation go out at most this often. */
export const TYPING_THROTTLE_MS = 2_000;
/** Clients drop a typing indicator that was not renewed by then. */
export const TYPING_TTL_MS = 6_000;

declare module '../../context.js' {
  interface AppServices {
    /** Chat's per-instance parts: shared conversation feeds, live inboxes, presence. */
    chat: ChatRuntime;
  }
}

export interface ChatRuntime {
  feeds: ConversationFeeds;
  inbox: InboxHub;
  /** When members' access last changed: typing and presence streams re-check after it. */
  access: AccessChanges;
  presence: PresenceTracker;
  /** Presence is per socket: the WebSocket endpoint reports each signed-in socket here (app.ts wires it). */
  sockets: { opened(socket: SocketConnection): void; closed(socket: SocketConnection): void };
  /** True when this member's "typing" in this conversation should go out now (throttled). */
  typingDue(userId: string, conversationId: string, typing: boolean): boolean;
  close(): Promise<void>;
}

export async function createChatRuntime(services: {
  env: Env;
  db: Db;
  pubsub: PubSub;
  logger: Logger;
}): Promise<ChatRuntime> {
  const { env, db, pubsub, logger } = services;
  const presence = await createPresenceTracker({
    redisUrl: env.REDIS_URL,
    logger,
    publish: (change) => pubsub.publish('chat:presence', change),
  });
  const feeds = new ConversationFeeds(db, pubsub, logger);
  const inbox = new InboxHub(db, pubsub, logger);
  const access = new AccessChanges(pubsub, logger);
  const lastTyping = new Map<string, number>();
  // setPresence may arrive through any instance; the one holding the session's sockets applies it.
  const socketsBySession = new Map<string, Map<string, SocketConnection>>();
  const stopPresenceRequests = listenTo(
    pubsub.subscribe('chat:session-presence'),
    (request) => {
      for (const socket of socketsBySession.get(request.sessionId)?.values() ?? []) {
        presence.setStatus(socket.viewer.id, socket.connectionId, request.status);
      }
    },
    logger,
    'presence requests',
  );
  return {
    feeds,
    inbox,
    access,
    presence,
    sockets: {
      opened: (socket) => {
        presence.connect(socket.viewer.id, socket.connectionId);
        let sockets = socketsBySession.get(socket.viewer.sessionId);
        if (!sockets) socketsBySession.set(socket.viewer.sessionId, (sockets = new Map()));
        sockets.set(socket.connectionId, socket);
      },
      closed: (socket) => {
        presence.disconnect(socket.viewer.id, socket.connectionId);
        const sockets = socketsBySession.get(socket.viewer.sessionId);
        sockets?.delete(socket.connectionId);
        if (sockets?.size === 0) socketsBySession.delete(socket.viewer.sessionId);
      },
    },
    typingDue: (userId, conversationId, typing) => {
      const key = `${userId}:${conversationId}`;
      const now = Date.now();
      if (!typing) {
        lastTyping.delete(key);
        return true;
      }
      const last = lastTyping.get(key);
      if (last !== undefined && now - last < TYPING_THROTTLE_MS) return false;
      lastTyping.set(key, now);
      // Forget old entries so the map stays small.
      if (lastTyping.size > 10_000)
        for (const [k, at] of lastTyping) if (now - at > TYPING_TTL_MS) lastTyping.delete(k);
      return true;
    },
    close: async () => {
      stopPresenceRequests();
      feeds.close();
      inbox.close();
      access.close();
      await presence.close();
    },
  };
}
