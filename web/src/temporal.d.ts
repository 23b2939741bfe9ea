// Temporal is a global: the browser's own, or the polyfill main.tsx installs where there is none.
import type {} from 'temporal-polyfill/types/global';
