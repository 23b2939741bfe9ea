import { Temporal } from 'temporal-polyfill';
import type {} from 'temporal-polyfill/types/global';

// web/src/lib/time.ts uses the global Temporal (native in browsers); Node 20 has none. The global is
// the very implementation the server imports, and nothing else changes (the polyfill's own installer,
// temporal-polyfill/global, would also replace Intl.DateTimeFormat for the in-process servers). Server
// code cannot lean on this global by mistake: the server's own type-check has no global Temporal.
if (!('Temporal' in globalThis)) {
  Object.defineProperty(globalThis, 'Temporal', { value: Temporal, writable: true, configurable: true });
}
