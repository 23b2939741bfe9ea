import { useEffect, useState } from 'react';
import { useWsClient } from '../../app/api-provider';

// Close codes after which graphql-ws gives up instead of reconnecting (see its client): bad requests,
// an unauthorised or duplicate socket, an internal error. Everything else is an outage it recovers from.
const FATAL_CLOSE_CODES = new Set([
  1002, 1003, 1007, 1008, 1009, 1010, 1011, 1015, 4004, 4005, 4400, 4401, 4406, 4409, 4429, 4500,
]);

export function isRecoverableClose(event: unknown): boolean {
  const code =
    typeof event === 'object' && event !== null && 'code' in event ? (event as { code: unknown }).code : null;
  // 1000 is also the lazy close after the last subscription ends: nothing to recover then.
  if (code === 1000) return false;
  return typeof code !== 'number' || !FATAL_CLOSE_CODES.has(code);
}

/** Calls `onReconnected` every time the socket is back after an outage (not on the first connect). */
export function useOnReconnected(onReconnected: () => void): void {
  const wsClient = useWsClient();
  useEffect(() => {
    let lost = false;
    const offClosed = wsClient.on('closed', (event) => {
      if (isRecoverableClose(event)) lost = true;
    });
    const offConnected = wsClient.on('connected', (_socket, _payload, wasRetry) => {
      if (lost || wasRetry) onReconnected();
      lost = false;
    });
    return () => {
      offClosed();
      offConnected();
    };
  }, [wsClient, onReconnected]);
}

/** "reconnecting" from the moment the live connection drops until it is back. */
export function useConnectionState(): 'online' | 'reconnecting' {
  const wsClient = useWsClient();
  const [state, setState] = useState<'online' | 'reconnecting'>('online');
  useEffect(() => {
    const offClosed = wsClient.on('closed', (event) => {
      if (isRecoverableClose(event)) setState('reconnecting');
    });
    const offConnected = wsClient.on('connected', () => setState('online'));
    return () => {
      offClosed();
      offConnected();
    };
  }, [wsClient]);
  return state;
}
