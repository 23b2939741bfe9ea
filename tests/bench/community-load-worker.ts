import fs from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { scanSeq, serveIpc, usageNow } from './chat-processes.js';
import { DOCUMENTS, HOME_QUERIES } from './community-load-documents.js';
import {
  ACTIONS,
  type ActionName,
  type LoadRequest,
  type LoadWorld,
  type StepReport,
  type Post,
} from './community-load-protocol.js';

// A client worker of `pnpm bench community-load`: simulates members of a community. Each one opens a
// live connection (graphql-transport-ws: their #channel's conversationEvents and their
// notificationEvents), then acts now and then — opens their home, browses groups and people, reads
// and posts in their channel and a direct conversation, reacts, books and gives back office-hours
// seats, answers what waits for them — with a random think time between actions. The worker times
// every request and checks every live event of the channel arrives (in seq order, no gap), and that
// every message posted anywhere reaches each of its sockets that was subscribed when it was posted.

interface Member {
  index: number;
  userId: string;
  token: string;
  instance: number;
  channelId: string;
  /** Another member of their group they write to directly (global Person id). */
  directPeerId: string;
  /** Their direct conversation with directPeerId, once opened (global id). */
  directId: string | null;
  socket: WebSocket | null;
  /** Conversation seq of the last channel event this socket had; -1 before the first. */
  lastSeq: number;
  /** The first event this socket's channel subscription received (-1: none yet). */
  firstSeq: number;
  subscribedAt: number;
  bookingId: string | null;
  stopped: boolean;
  timer: NodeJS.Timeout | null;
}

let world: LoadWorld | null = null;
const members: Member[] = [];
let running = true;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

// Per step, reset by `report`.
let latencies: number[] = [];
let requests = 0;
let errors = 0;
let firstError: string | null = null;
const byAction = new Map<ActionName, { count: number; totalMs: number }>();
let posts: Post[] = [];
let gaps = 0;
let disorder = 0;
let dropped = 0;
let deliveries = 0;
// How long a subscription asked for under load may take to be in place (the health limit's p99 is 2 s).
const SUBSCRIBE_WINDOW_MS = 3_000;

function recordError(text: string): void {
  errors += 1;
  firstError ??= text.slice(0, 1_000);
}

/** POST a GraphQL operation as `member`; resolves with the parsed body (null on a transport error). */
function post(member: Member, query: string, variables: Record<string, unknown>): Promise<GraphQLBody | null> {
  const url = new URL(world!.urls[member.instance]!);
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${member.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            recordError(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
            return resolve(null);
          }
          try {
            resolve(JSON.parse(text) as GraphQLBody);
          } catch {
            recordError(`not JSON: ${text.slice(0, 300)}`);
            resolve(null);
          }
        });
      },
    );
    req.on('error', (error) => {
      recordError(`request: ${String(error)}`);
      resolve(null);
    });
    req.end(body);
  });
}

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: the benchmark reads a handful of known fields.
  data?: Record<string, any> | null;
  errors?: Array<{ message: string }>;
}

/**
 * A payload union's outcome: errors a member can meet in normal use (the slot is full, you already
 * have a seat) are answers, not failures; anything else (INTERNAL, UNAVAILABLE, RATE_LIMITED …) is.
 */
const EXPECTED_CODES = new Set(['CONFLICT', 'NOT_FOUND', 'VALIDATION']);

async function timed(member: Member, action: ActionName, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  const entry = byAction.get(action) ?? { count: 0, totalMs: 0 };
  entry.count += 1;
  entry.totalMs += elapsed;
  byAction.set(action, entry);
  void member;
}

/** One GraphQL request, counted; returns data or null (an error was recorded). */
async function call(
  member: Member,
  query: string,
  variables: Record<string, unknown> = {},
  resultField?: string,
  // biome-ignore lint/suspicious/noExplicitAny: see GraphQLBody.
): Promise<Record<string, any> | null> {
  requests += 1;
  const started = performance.now();
  const body = await post(member, query, variables);
  latencies.push(performance.now() - started);
  if (!body) return null;
  if (body.errors?.length || !body.data) {
    recordError(`GraphQL: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
    return null;
  }
  if (resultField) {
    const result = body.data[resultField] as { __typename?: string; code?: string } | undefined;
    if (result?.code && !EXPECTED_CODES.has(result.code)) {
      recordError(`${resultField}: ${JSON.stringify(result).slice(0, 300)}`);
      return null;
    }
  }
  return body.data;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function act(member: Member, action: ActionName): Promise<void> {
  const w = world!;
  switch (action) {
    case 'home':
      // The page's cards load side by side.
      return timed(member, action, () => Promise.all(HOME_QUERIES.map((query) => call(member, query))));
    case 'browseGroups':
      return timed(member, action, async () => {
        await call(member, DOCUMENTS.groups);
        await call(member, DOCUMENTS.group, { slug: pick(w.groupSlugs) });
      });
    case 'browsePeople':
      return timed(member, action, async () => {
        const data = await call(member, DOCUMENTS.people, { text: pick(['engineer', 'data', 'design', 'Member', '']) });
        const people = (data?.people?.edges ?? []) as Array<{ node: { id: string } }>;
        if (people.length > 0) await call(member, DOCUMENTS.person, { id: pick(people).node.id });
      });
    case 'readChannel':
      return timed(member, action, async () => {
        const data = await call(member, DOCUMENTS.read, { id: member.channelId });
        const lastSeq = data?.node?.lastSeq as number | undefined;
        if (typeof lastSeq === 'number' && lastSeq > 0)
          await call(member, DOCUMENTS.markRead, { input: { conversationId: member.channelId, seq: lastSeq } });
      });
    case 'postChannel':
    case 'postDirect':
      return timed(member, action, async () => {
        if (action === 'postDirect' && !member.directId) {
          const started = await call(
            member,
            DOCUMENTS.startDirect,
            { input: { personIds: [member.directPeerId] } },
            'startDirectConversation',
          );
          member.directId = (started?.startDirectConversation?.conversation?.id as string | undefined) ?? null;
          if (!member.directId) return;
        }
        const conversationId = action === 'postChannel' ? member.channelId : member.directId!;
        const sentAt = Date.now();
        const data = await call(
          member,
          DOCUMENTS.send,
          {
            input: {
              conversationId,
              clientId: `${w.run}-${member.index}-${sentAt}-${Math.random().toString(36).slice(2, 8)}`,
              body: pick(w.messages),
            },
          },
          'sendMessage',
        );
        const seq = data?.sendMessage?.message?.seq as number | undefined;
        if (action === 'postChannel' && typeof seq === 'number') posts.push({ conversationId, seq, at: sentAt });
      });
    case 'react':
      return timed(member, action, async () => {
        const data = await call(member, DOCUMENTS.read, { id: member.channelId });
        const messages = (data?.node?.messages?.edges ?? []) as Array<{ node: { id: string } }>;
        if (messages.length > 0)
          await call(
            member,
            DOCUMENTS.react,
            { input: { messageId: pick(messages).node.id, emoji: pick(['👍', '🎉', '❤️']) } },
            'toggleReaction',
          );
      });
    case 'officeHours':
      return timed(member, action, async () => {
        if (member.bookingId) {
          await call(member, DOCUMENTS.cancel, { input: { bookingId: member.bookingId } }, 'cancelBooking');
          member.bookingId = null;
          return;
        }
        const data = await call(member, DOCUMENTS.slots, { hostId: pick(w.hostIds) });
        const slots = ((data?.publicOfficeHours?.officeHours ?? []) as Array<{ nextSlots: Array<{ id: string }> }>)
          .flatMap((series) => series.nextSlots)
          .filter(Boolean);
        if (slots.length === 0) return;
        const booked = await call(member, DOCUMENTS.book, { input: { slotId: pick(slots).id } }, 'bookOfficeHourSlot');
        member.bookingId = (booked?.bookOfficeHourSlot?.booking?.id as string | undefined) ?? null;
      });
    case 'answerRequests':
      return timed(member, action, async () => {
        await call(member, DOCUMENTS.waiting);
        await call(member, DOCUMENTS.readAll);
      });
  }
}

function chooseAction(): ActionName {
  let roll = Math.random() * ACTIONS.reduce((sum, entry) => sum + entry.weight, 0);
  for (const entry of ACTIONS) {
    roll -= entry.weight;
    if (roll <= 0) return entry.name;
  }
  return ACTIONS[0]!.name;
}

/** Exponential think time around the mean, so members do not act in lockstep. */
function thinkTime(): number {
  return Math.min(-Math.log(1 - Math.random()) * world!.meanThinkMs, world!.meanThinkMs * 6);
}

function schedule(member: Member): void {
  if (!running || member.stopped) return;
  member.timer = setTimeout(() => {
    void act(member, chooseAction()).finally(() => schedule(member));
  }, thinkTime());
}

const SUBSCRIBE_CHANNEL = /* GraphQL */ `subscription Channel($conversationId: ID!) {
  conversationEvents(conversationId: $conversationId) { seq kind message { id seq } }
}`;
const SUBSCRIBE_NOTIFICATIONS = /* GraphQL */ `subscription Notifications { notificationEvents { __typename } }`;

/** Opens the member's live connection: resolves once both subscriptions are sent after the ack. */
function connect(member: Member): Promise<void> {
  const url = world!.urls[member.instance]!.replace(/^http/, 'ws');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/graphql`, 'graphql-transport-ws', { perMessageDeflate: false });
    let acked = false;
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: member.token } })));
    ws.on('message', (data: Buffer) => {
      if (!acked) {
        const frame = JSON.parse(data.toString('utf8')) as { type: string };
        if (frame.type !== 'connection_ack') {
          ws.terminate();
          return reject(new Error(`expected connection_ack, got ${data.toString('utf8').slice(0, 200)}`));
        }
        acked = true;
        member.socket = ws;
        member.subscribedAt = Date.now();
        ws.send(
          JSON.stringify({
            id: 'c',
            type: 'subscribe',
            payload: { query: SUBSCRIBE_CHANNEL, variables: { conversationId: member.channelId } },
          }),
        );
        ws.send(JSON.stringify({ id: 'n', type: 'subscribe', payload: { query: SUBSCRIBE_NOTIFICATIONS } }));
        return resolve();
      }
      onFrame(member, data);
    });
    ws.on('error', (error) => {
      if (!acked) reject(error);
    });
    ws.on('close', (code, reason) => {
      if (!acked) return reject(new Error(`closed before ack: ${code} ${reason.toString()}`));
      member.socket = null;
      if (running && !member.stopped) {
        dropped += 1;
        recordError(`live connection closed: ${code} ${reason.toString()}`);
      }
    });
  });
}

function onFrame(member: Member, data: Buffer): void {
  const text = data.toString('utf8');
  if (text.startsWith('{"type":"ping"')) return void member.socket?.send('{"type":"pong"}');
  if (!text.includes('"type":"next"')) {
    if (!text.includes('"type":"pong"')) recordError(`live frame: ${text.slice(0, 300)}`);
    return;
  }
  if (text.includes('"errors"')) {
    recordError(`live error: ${text.slice(0, 300)}`);
    return;
  }
  if (!text.startsWith('{"id":"c"')) return; // a notification
  deliveries += 1;
  const seq = scanSeq(data);
  if (seq <= member.lastSeq) {
    disorder += 1;
    return;
  }
  // The first event of a subscription "from now" may start anywhere; after it, none may be skipped.
  if (member.lastSeq >= 0 && seq > member.lastSeq + 1) gaps += 1;
  if (member.firstSeq < 0) member.firstSeq = seq;
  member.lastSeq = seq;
}

async function addMembers(count: number): Promise<{ added: number; failed: number; firstError: string | null }> {
  const w = world!;
  const start = members.length;
  const batch = w.members.slice(start, start + count);
  let failed = 0;
  let first: string | null = null;
  let next = 0;
  const opened: Member[] = [];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < batch.length) {
        const seeded = batch[next]!;
        const index = start + next;
        next += 1;
        const member: Member = {
          index,
          ...seeded,
          socket: null,
          lastSeq: -1,
          firstSeq: -1,
          subscribedAt: 0,
          directId: null,
          bookingId: null,
          stopped: false,
          timer: null,
        };
        try {
          await connect(member);
          members.push(member);
          opened.push(member);
        } catch (error) {
          failed += 1;
          first ??= String(error);
        }
      }
    }),
  );
  for (const member of opened) schedule(member);
  return { added: opened.length, failed, firstError: first };
}

/**
 * Posts older than the grace period: each must have reached every socket of its channel that was
 * subscribed before it was sent (lastSeq at or past it; gaps are counted as they arrive).
 */
function verify(checked: Post[]): number {
  let missing = 0;
  for (const item of checked) {
    for (const member of members) {
      if (member.channelId !== item.conversationId || !member.socket) continue;
      // graphql-ws does not say when a subscription is in place. One asked for well before the
      // message must have it; one asked for shortly before may have started after it, unless the
      // first event it received is this one or an earlier one (everything after that must follow).
      const recent = member.subscribedAt >= item.at - SUBSCRIBE_WINDOW_MS;
      if (recent && (member.firstSeq < 0 || member.firstSeq > item.seq)) continue;
      if (member.lastSeq < item.seq) {
        missing += 1;
        // COMMUNITY_LOAD_DEBUG=<file>: what each missing delivery looked like, appended to the file.
        if (process.env.COMMUNITY_LOAD_DEBUG && missing <= 10)
          fs.appendFileSync(
            process.env.COMMUNITY_LOAD_DEBUG,
            `missing: seq ${item.seq} in ${item.conversationId.slice(-6)} sent ${((Date.now() - item.at) / 1000).toFixed(1)} s ago; member ${member.index} on instance ${member.instance}, subscribed ${((Date.now() - member.subscribedAt) / 1000).toFixed(1)} s ago, first ${member.firstSeq}, last ${member.lastSeq}\n`,
          );
      }
    }
  }
  return missing;
}

function report(): StepReport {
  const result: StepReport = {
    members: members.length,
    requests,
    errors,
    firstError,
    latencies,
    byAction: Object.fromEntries(byAction),
    posts,
    gaps,
    disorder,
    dropped,
    deliveries,
    usage: usageNow(),
  };
  latencies = [];
  requests = 0;
  errors = 0;
  firstError = null;
  byAction.clear();
  posts = [];
  gaps = 0;
  disorder = 0;
  dropped = 0;
  deliveries = 0;
  return result;
}

async function stopAll(): Promise<void> {
  running = false;
  for (const member of members) {
    member.stopped = true;
    if (member.timer) clearTimeout(member.timer);
  }
  await Promise.race([
    Promise.all(
      members.map(
        (member) =>
          new Promise<void>((resolve) => {
            if (!member.socket) return resolve();
            member.socket.once('close', () => resolve());
            member.socket.close(1000);
          }),
      ),
    ),
    new Promise((resolve) => setTimeout(resolve, 5_000)),
  ]);
  for (const member of members) member.socket?.terminate();
  agent.destroy();
}

serveIpc<LoadRequest>(async (request) => {
  switch (request.type) {
    case 'world':
      world = request.world;
      return null;
    case 'add':
      return addMembers(request.count);
    case 'pause':
      running = false;
      for (const member of members) if (member.timer) clearTimeout(member.timer);
      return null;
    case 'report':
      return report();
    case 'verify':
      return verify(request.posts);
    case 'close':
      await stopAll();
      return null;
  }
});
process.once('disconnect', () => process.exit(0));
