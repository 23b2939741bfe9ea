import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Client as WsClient } from 'graphql-ws';
import { Provider, type Client } from 'urql';
import { ViewerQuery } from '../features/accounts/documents';
import { createApiClient, type ApiClient } from './api-client';

interface SessionControl {
  // Call after sign-in, sign-up, sign-out or a revoked session: rebuilds the urql client (fresh cache,
  // fresh WebSocket) and resolves once the new client knows who the viewer is.
  sessionChanged(): Promise<void>;
}

const SessionControlContext = createContext<SessionControl | null>(null);
const WsClientContext = createContext<WsClient | null>(null);

// Don't hold the old session's screen hostage to a hung request; the new client retries on its own.
const PRIME_TIMEOUT_MS = 8_000;

async function primeViewer(client: Client): Promise<void> {
  const result = client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, PRIME_TIMEOUT_MS));
  await Promise.race([result, timeout]);
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<ApiClient>(createApiClient);
  const currentRef = useRef(current);
  const generation = useRef(0);
  const retired = useRef<ApiClient[]>([]);

  // Close the previous session's socket only after the new client is committed, so nothing still rendered
  // from the old tree talks to a disposed client. (No dispose on unmount: StrictMode would fire it while the
  // client is still in use, and the root lives as long as the page.)
  // biome-ignore lint/correctness/useExhaustiveDependencies(current): runs once each new client has committed.
  useEffect(() => {
    for (const old of retired.current.splice(0)) old.dispose();
  }, [current]);

  const sessionChanged = useCallback(async () => {
    const mine = ++generation.current;
    const next = createApiClient();
    // Loading the viewer before the swap keeps the shell from flashing "loading" between two sessions.
    await primeViewer(next.client);
    if (mine !== generation.current) {
      // A later change superseded this one (e.g. sign-out right after sign-in).
      next.dispose();
      return;
    }
    retired.current.push(currentRef.current);
    currentRef.current = next;
    setCurrent(next);
  }, []);

  const control = useMemo<SessionControl>(() => ({ sessionChanged }), [sessionChanged]);

  return (
    <SessionControlContext value={control}>
      <WsClientContext value={current.wsClient}>
        <Provider value={current.client}>{children}</Provider>
      </WsClientContext>
    </SessionControlContext>
  );
}

export function useSessionChanged(): SessionControl['sessionChanged'] {
  const control = use(SessionControlContext);
  if (!control) throw new Error('useSessionChanged must be used inside <ApiProvider>');
  return control.sessionChanged;
}

// The current session's WebSocket client (replaced together with the urql client on a session change).
export function useWsClient(): WsClient {
  const wsClient = use(WsClientContext);
  if (!wsClient) throw new Error('useWsClient must be used inside <ApiProvider>');
  return wsClient;
}
