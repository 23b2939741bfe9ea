import type { ExecutionResult } from 'graphql';

// Fan-out fast path for subscriptions whose events look the same to every subscriber (chat
// conversations). Over graphql-ws, each subscriber's event would be executed and serialised
// separately; here a stream executes an event once and serialises it once for every subscriber
// with the same document, variables and scope, and writes the ready `next` frame to each socket.
// A resolver offers its stream through the operation's context; the WebSocket layer attaches.

export interface DirectDelivery {
  /** Subscribers with equal keys receive byte-identical payloads for the same event. */
  shareKey: string;
  /** Runs the subscription's selection for one event (the event is the root value). */
  execute(event: unknown): Promise<ExecutionResult> | ExecutionResult;
  /** Writes a graphql-ws `next` message whose payload is this serialised ExecutionResult. */
  sendPayload(payloadJson: string): void;
  /** False once the socket is closed (or was dropped for being too slow). */
  isOpen(): boolean;
}

export interface SharedStream {
  /** Arguments used only when the subscription starts (e.g. afterSeq): left out of the share key. */
  readonly startOnlyArguments: readonly string[];
  /** From now on, events go straight to the socket; the async iterator only waits for the end. */
  attachDirect(delivery: DirectDelivery): void;
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
