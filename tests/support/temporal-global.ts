// web/src/lib/time.ts uses the global Temporal (native in browsers); Node 20 has none.
import 'temporal-polyfill/global';
import type {} from 'temporal-polyfill/types/global';
