import { Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';

// Fan-out fast path for subscriptions whose events look the same to every subscriber (chat
// conversations). Over graphql-ws, each subscriber's event would be executed and serialised
// separately; here a stream executes an event once and serialises it once for every subscriber
// with the same document, variables and scope, and writes the ready `next` frame to each socket.
// A resolver offers its stream through the operation's context; the WebSocket layer attaches.

export interface DirectDelivery {
  /** Subscribers with equal keys receive byte-identical payloads for the same event. */
  readonly shareKey: string;
  /** The graphql-ws operation id: frames carry it, so subscribers with the same id share frames too. */
  readonly operationId: string;
  /** Runs the subscription's selection for one event (the event is the root value). */
  execute(event: unknown): Promise<ExecutionResult> | ExecutionResult;
  /**
   * Writes a whole graphql-ws `next` message (nextFrame) to the socket, as UTF-8 bytes: encoded
   * once for every subscriber (a string would be encoded again for each socket).
   */
  send(frame: Buffer): void;
  /** False once the socket is closed (or was dropped for being too slow). */
  isOpen(): boolean;
  /** Between cork() and uncork(), what send() writes leaves the socket in one write. */
  cork(): void;
  uncork(): void;
}

export function encodePayload(result: ExecutionResult): Buffer {
  return Buffer.from(JSON.stringify(result));
}

const FRAME_END = Buffer.from('}');

/** The graphql-ws `next` message of operation `operationId` carrying `payload` (an encoded ExecutionResult). */
export function nextFrame(operationId: string, payload: Buffer): Buffer {
  const start = Buffer.from(`{"id":${JSON.stringify(operationId)},"type":"next","payload":`);
  return Buffer.concat([start, payload, FRAME_END], start.length + payload.length + 1);
}

export interface SharedStream {
  /** Arguments used only when the subscription starts (e.g. afterSeq): left out of the share key. */
  readonly startOnlyArguments: readonly string[];
  /** From now on, events go straight to the socket. */
  attachDirect(delivery: DirectDelivery): void;
  /** What the transport waits on once attached: yields nothing, finishes when the stream ends; return() ends it. */
  completion(): AsyncIterable<never>;
}

const offered = new WeakMap<object, SharedStream>();

export function offerSharedStream(context: object, stream: SharedStream): void {
  offered.set(context, stream);
}

export function takeSharedStream(context: object): SharedStream | undefined {
  const stream = offered.get(context);
  offered.delete(context);
  return stream;
}

/**
 * Subscribers share frames when they sent the same document and variables, ignoring variables
 * used only to start the stream (afterSeq: where each one resumes).
 */
export function shareKeyOf(
  payload: SubscribePayload,
  document: DocumentNode,
  startOnlyArguments: readonly string[],
): string {
  const ignored = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (payload.operationName && definition.name?.value !== payload.operationName) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      for (const argument of selection.arguments ?? []) {
        if (startOnlyArguments.includes(argument.name.value) && argument.value.kind === Kind.VARIABLE) {
          ignored.add(argument.value.name.value);
        }
      }
    }
  }
  const variables = Object.entries(payload.variables ?? {})
    .filter(([name]) => !ignored.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${payload.operationName ?? ''}\n${payload.query}\n${JSON.stringify(variables)}`;
}
