import { useEffect, useState } from 'react';
import { useWsClient } from '../../app/api-provider';
// Which closes are drops to recover from (all but refusals and the lazy 1000): see live-connection.ts.
import { isRecoverableClose } from '../../app/live-connection';

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
