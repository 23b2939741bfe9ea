// The messages of one open conversation, as plain immutable data and pure functions, so the rules that
// keep a live list correct are in one place and testable without a browser:
//
// - Every message is stored once, by id. Live events carry the message as it is now; applying one is an
//   upsert, and the list is always sorted by seq, so a replayed or duplicated event changes nothing.
// - An event's seq is the message's version. A page or an acknowledgement carries no version (0), so it
//   never overwrites what an event already brought; it only fills in messages not seen yet.
// - `streamSeq` is the afterSeq to (re)subscribe with: the newest page's highest seq, then only what the
//   event stream itself delivered. A page read later must not move it, or events between the stream's
//   position and that page would be skipped after a reconnect.
// - A pending (optimistic) message has the client's `clientId`; it disappears the moment the stored
//   message with that clientId arrives by any path (acknowledgement, event, page), so it never shows twice.

export interface StoreMessage {
  id: string;
  seq: number;
  clientId: string;
  parentId: string | null;
  author: { id: string } | null;
}

// waiting: the server could not store it just now (UNAVAILABLE, or no answer); sent again on its own.
export type PendingStatus = 'sending' | 'waiting' | 'failed' | 'rate-limited';

export interface PendingMessage {
  clientId: string;
  body: string;
  parentId: string | null;
  createdAt: string;
  status: PendingStatus;
  // When a rate-limited send may be retried, or a waiting one is sent again (epoch ms).
  retryAt: number | null;
  error: string | null;
}

export interface LoadedWindow {
  // The oldest seq loaded; everything from there to the newest is loaded.
  oldestSeq: number | null;
  hasOlder: boolean;
}

export interface ConversationEventLike<M extends StoreMessage> {
  seq: number;
  kind: string;
  message: M;
}

interface Entry<M> {
  message: M;
  version: number;
}

export interface ConversationState<M extends StoreMessage> {
  viewerId: string;
  entries: ReadonlyMap<string, Entry<M>>;
  pending: readonly PendingMessage[];
  streamSeq: number;
  // null until the newest page of top-level messages arrived.
  main: LoadedWindow | null;
  // Per thread root, once its replies were loaded.
  threads: ReadonlyMap<string, LoadedWindow>;
}

export function initialConversationState<M extends StoreMessage>(viewerId: string): ConversationState<M> {
  return { viewerId, entries: new Map(), pending: [], streamSeq: 0, main: null, threads: new Map() };
}

function upsertAll<M extends StoreMessage>(
  state: ConversationState<M>,
  messages: readonly M[],
  version: number,
): ConversationState<M> {
  if (messages.length === 0) return state;
  const entries = new Map(state.entries);
  const settled = new Set<string>();
  for (const message of messages) {
    const existing = entries.get(message.id);
    if (!existing || version >= existing.version) entries.set(message.id, { message, version });
    if (message.author?.id === state.viewerId) settled.add(message.clientId);
  }
  const pending = settled.size === 0 ? state.pending : state.pending.filter((item) => !settled.has(item.clientId));
  return { ...state, entries, pending: pending.length === state.pending.length ? state.pending : pending };
}

function seqRange(messages: readonly StoreMessage[]): { min: number | null; max: number } {
  let min: number | null = null;
  let max = 0;
  for (const message of messages) {
    if (min === null || message.seq < min) min = message.seq;
    if (message.seq > max) max = message.seq;
  }
  return { min, max };
}

/** The newest page of top-level messages (`messages(last: N)`); what the live stream continues from. */
export function applyNewestPage<M extends StoreMessage>(
  state: ConversationState<M>,
  messages: readonly M[],
  hasOlder: boolean,
): ConversationState<M> {
  const { min, max } = seqRange(messages);
  const next = upsertAll(state, messages, 0);
  // Once the stream runs, a newer page must not move its position (see the top of the file).
  const streamSeq = state.main === null ? Math.max(state.streamSeq, max) : state.streamSeq;
  const oldestSeq =
    state.main?.oldestSeq != null && min != null
      ? Math.min(state.main.oldestSeq, min)
      : (min ?? state.main?.oldestSeq ?? null);
  return { ...next, streamSeq, main: { oldestSeq, hasOlder: state.main ? state.main.hasOlder && hasOlder : hasOlder } };
}

/** A page of top-level messages before the oldest loaded one. */
export function applyOlderPage<M extends StoreMessage>(
  state: ConversationState<M>,
  messages: readonly M[],
  hasOlder: boolean,
): ConversationState<M> {
  const { min } = seqRange(messages);
  const next = upsertAll(state, messages, 0);
  const current = state.main?.oldestSeq ?? null;
  const oldestSeq = current === null ? min : min === null ? current : Math.min(current, min);
  return { ...next, main: { oldestSeq, hasOlder } };
}

/** A page of one thread's replies: the newest (`older` false) or the one before the oldest loaded. */
export function applyThreadPage<M extends StoreMessage>(
  state: ConversationState<M>,
  rootId: string,
  messages: readonly M[],
  hasOlder: boolean,
  older: boolean,
): ConversationState<M> {
  const { min } = seqRange(messages);
  const next = upsertAll(state, messages, 0);
  const current = state.threads.get(rootId);
  const oldestSeq =
    current?.oldestSeq != null && min != null ? Math.min(current.oldestSeq, min) : (min ?? current?.oldestSeq ?? null);
  const threads = new Map(state.threads);
  threads.set(rootId, { oldestSeq, hasOlder: older || !current ? hasOlder : current.hasOlder });
  return { ...next, threads };
}

/** One live (or replayed) event: the message as it is now, at version `seq`. */
export function applyEvent<M extends StoreMessage>(
  state: ConversationState<M>,
  event: ConversationEventLike<M>,
): ConversationState<M> {
  const next = upsertAll(state, [event.message], event.seq);
  return event.seq > next.streamSeq ? { ...next, streamSeq: event.seq } : next;
}

/** Messages read on their own (a thread's root opened from a search hit); they join no loaded window. */
export function rememberMessages<M extends StoreMessage>(
  state: ConversationState<M>,
  messages: readonly M[],
): ConversationState<M> {
  return upsertAll(state, messages, 0);
}

/** The acknowledgement of a send: the stored message (only filled in if no event brought it first). */
export function confirmSent<M extends StoreMessage>(state: ConversationState<M>, message: M): ConversationState<M> {
  const next = upsertAll(state, [message], 0);
  const pending = next.pending.filter((item) => item.clientId !== message.clientId);
  return pending.length === next.pending.length ? next : { ...next, pending };
}

/** The version (seq of the last event applied) of a stored message; 0 when it came from a page. */
export function versionOf<M extends StoreMessage>(state: ConversationState<M>, id: string): number | null {
  return state.entries.get(id)?.version ?? null;
}

/**
 * The answer to an edit, delete or reaction: applied only if no event for the message arrived since the
 * mutation was sent (`versionAtSend`). If one did, it is the mutation's own event or a later change, and
 * the answer would only be older. Kept at the same version, so the mutation's event still replaces it.
 */
export function applyIfUnchanged<M extends StoreMessage>(
  state: ConversationState<M>,
  message: M,
  versionAtSend: number | null,
): ConversationState<M> {
  const entry = state.entries.get(message.id);
  if (!entry || entry.version !== versionAtSend) return state;
  const entries = new Map(state.entries);
  entries.set(message.id, { message, version: entry.version });
  return { ...state, entries };
}

export function addPending<M extends StoreMessage>(
  state: ConversationState<M>,
  pending: PendingMessage,
): ConversationState<M> {
  if (state.pending.some((item) => item.clientId === pending.clientId)) return state;
  return { ...state, pending: [...state.pending, pending] };
}

/** Changes a pending message's status, unless it was confirmed meanwhile (then there is nothing to change). */
export function updatePending<M extends StoreMessage>(
  state: ConversationState<M>,
  clientId: string,
  patch: Partial<Pick<PendingMessage, 'status' | 'retryAt' | 'error'>>,
): ConversationState<M> {
  if (!state.pending.some((item) => item.clientId === clientId)) return state;
  return {
    ...state,
    pending: state.pending.map((item) => (item.clientId === clientId ? { ...item, ...patch } : item)),
  };
}

export function discardPending<M extends StoreMessage>(
  state: ConversationState<M>,
  clientId: string,
): ConversationState<M> {
  return { ...state, pending: state.pending.filter((item) => item.clientId !== clientId) };
}

function inWindow(seq: number, window: LoadedWindow): boolean {
  return !window.hasOlder || window.oldestSeq === null || seq >= window.oldestSeq;
}

/** The top-level messages to show, oldest first: the loaded window only, so there is never a gap. */
export function topLevelMessages<M extends StoreMessage>(state: ConversationState<M>): M[] {
  const window = state.main;
  if (!window) return [];
  const messages: M[] = [];
  for (const { message } of state.entries.values()) {
    if (message.parentId === null && inWindow(message.seq, window)) messages.push(message);
  }
  return messages.sort((a, b) => a.seq - b.seq);
}

export function threadReplies<M extends StoreMessage>(state: ConversationState<M>, rootId: string): M[] {
  const window = state.threads.get(rootId);
  if (!window) return [];
  const messages: M[] = [];
  for (const { message } of state.entries.values()) {
    if (message.parentId === rootId && inWindow(message.seq, window)) messages.push(message);
  }
  return messages.sort((a, b) => a.seq - b.seq);
}

export function findMessage<M extends StoreMessage>(state: ConversationState<M>, id: string): M | null {
  return state.entries.get(id)?.message ?? null;
}

/** Pending messages of the main list (parentId null) or of one thread, in the order they were written. */
export function pendingMessages<M extends StoreMessage>(
  state: ConversationState<M>,
  parentId: string | null,
): PendingMessage[] {
  return state.pending.filter((item) => item.parentId === parentId);
}

/** The highest seq known: what "read up to here" means for markConversationRead. */
export function highestSeq<M extends StoreMessage>(state: ConversationState<M>): number {
  let highest = state.streamSeq;
  for (const { message } of state.entries.values()) if (message.seq > highest) highest = message.seq;
  return highest;
}

// A tiny external store (for useSyncExternalStore): the subscription handler must see the current
// streamSeq synchronously when it resubscribes, which React state updated by a render would not give.
export interface Store<State> {
  getState(): State;
  update(change: (state: State) => State): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<State>(initial: State): Store<State> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    update(change) {
      const next = change(state);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
