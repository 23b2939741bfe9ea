// web/src/lib/time.ts uses the global Temporal (native in browsers); Node 20 has none. Server code
// cannot lean on this global by mistake: the server's own type-check has no global Temporal.
import 'temporal-polyfill/global';
import type {} from 'temporal-polyfill/types/global';
