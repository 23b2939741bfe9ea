import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useClient, useMutation, useSubscription } from 'urql';
import { useWsClient } from '../../app/api-provider';
import { PresenceChangesSubscription, PresenceQuery, SetPresenceMutation } from './documents';
import { useOnReconnected } from './use-connection-state';

export type PresenceStatus = 'ONLINE' | 'AWAY' | 'OFFLINE';

interface PresenceRegistry {
  status(personId: string): PresenceStatus | null;
  watch(personId: string): void;
  set(personId: string, status: PresenceStatus): void;
  refreshAll(): void;
  subscribe(listener: () => void): () => void;
}

const BATCH_SIZE = 50;

// One place that knows everyone's presence on the chat screen: ids are collected from every dot that
// renders, asked for in batches, and kept current by presenceChanges.
function createPresenceRegistry(
  load: (personIds: string[]) => Promise<{ id: string; status: PresenceStatus }[]>,
): PresenceRegistry {
  const statuses = new Map<string, PresenceStatus>();
  const watched = new Set<string>();
  const queued = new Set<string>();
  const listeners = new Set<() => void>();
  let flushScheduled = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  const flush = () => {
    flushScheduled = false;
    const ids = [...queued];
    queued.clear();
    for (let start = 0; start < ids.length; start += BATCH_SIZE) {
      void load(ids.slice(start, start + BATCH_SIZE)).then((results) => {
        for (const result of results) statuses.set(result.id, result.status);
        if (results.length > 0) notify();
      });
    }
  };

  const enqueue = (personId: string) => {
    queued.add(personId);
    if (flushScheduled) return;
    flushScheduled = true;
    setTimeout(flush, 30);
  };

  return {
    status: (personId) => statuses.get(personId) ?? null,
    watch(personId) {
      if (watched.has(personId)) return;
      watched.add(personId);
      enqueue(personId);
    },
    set(personId, status) {
      if (statuses.get(personId) === status) return;
      statuses.set(personId, status);
      notify();
    },
    refreshAll() {
      for (const personId of watched) enqueue(personId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const PresenceContext = createContext<PresenceRegistry | null>(null);

export function PresenceProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const registry = useMemo(
    () =>
      createPresenceRegistry(async (personIds) => {
        const result = await client.query(PresenceQuery, { personIds }, { requestPolicy: 'network-only' }).toPromise();
        return (result.data?.presence ?? []).map((entry) => ({ id: entry.person.id, status: entry.status }));
      }),
    [client],
  );
  useSubscription({ query: PresenceChangesSubscription }, (_previous: null = null, data) => {
    registry.set(data.presenceChanges.person.id, data.presenceChanges.status);
    return null;
  });
  // Changes made while the socket was down were not delivered: ask again for everyone on screen.
  useOnReconnected(useCallback(() => registry.refreshAll(), [registry]));
  return <PresenceContext value={registry}>{children}</PresenceContext>;
}

export function usePresence(personId: string | null | undefined): PresenceStatus | null {
  const registry = use(PresenceContext);
  useEffect(() => {
    if (registry && personId) registry.watch(personId);
  }, [registry, personId]);
  const subscribe = useCallback((listener: () => void) => registry?.subscribe(listener) ?? (() => {}), [registry]);
  return useSyncExternalStore(subscribe, () => (registry && personId ? registry.status(personId) : null));
}

/** How many of these people are online (for a group conversation's header). */
export function useOnlineCount(personIds: readonly string[]): number {
  const registry = use(PresenceContext);
  const key = personIds.join(' ');
  useEffect(() => {
    if (registry) for (const id of key.split(' ')) if (id) registry.watch(id);
  }, [registry, key]);
  const subscribe = useCallback((listener: () => void) => registry?.subscribe(listener) ?? (() => {}), [registry]);
  return useSyncExternalStore(subscribe, () =>
    registry ? key.split(' ').filter((id) => id && registry.status(id) === 'ONLINE').length : 0,
  );
}

const PRESENCE_LABELS: Record<PresenceStatus, string> = { ONLINE: 'online', AWAY: 'away', OFFLINE: 'offline' };

/** The coloured dot; its status is also in the accessible name of whatever it sits next to. */
export function PresenceDot({ personId, className }: { personId: string | null | undefined; className?: string }) {
  const status = usePresence(personId) ?? 'OFFLINE';
  return (
    <span
      className={['presence-dot', `presence-dot--${status.toLowerCase()}`, className].filter(Boolean).join(' ')}
      title={PRESENCE_LABELS[status]}
      aria-hidden="true"
    />
  );
}

export function presenceLabel(status: PresenceStatus | null): string {
  return PRESENCE_LABELS[status ?? 'OFFLINE'];
}

// How long a hidden tab counts as still "here" before the member shows as away.
const AWAY_AFTER_MS = 60_000;

/** Reports AWAY when the tab has been hidden for a while and ONLINE when it is back. */
export function usePresenceReporter(enabled: boolean): void {
  const wsClient = useWsClient();
  const [, setPresence] = useMutation(SetPresenceMutation);
  const away = useRef(false);

  // The server applies it to every socket of this session.
  const send = useCallback((status: 'ONLINE' | 'AWAY') => void setPresence({ input: { status } }), [setPresence]);

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onVisibility = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'hidden') {
        timer = setTimeout(() => {
          away.current = true;
          send('AWAY');
        }, AWAY_AFTER_MS);
      } else if (away.current) {
        away.current = false;
        send('ONLINE');
      }
    };
    // A new socket starts ONLINE on the server; a member who is still away says so again.
    const offConnected = wsClient.on('connected', () => {
      if (away.current) send('AWAY');
    });
    document.addEventListener('visibilitychange', onVisibility);
    onVisibility();
    return () => {
      clearTimeout(timer);
      offConnected();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [enabled, send, wsClient]);
}
