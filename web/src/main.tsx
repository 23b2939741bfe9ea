import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './app/global.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain #root');

// Temporal is native in current browsers; the polyfill (about 20 kB gzipped) is fetched only where
// it is missing, before anything renders (no module reads Temporal while it loads).
const temporalReady = 'Temporal' in globalThis ? Promise.resolve() : import('temporal-polyfill/global');

void temporalReady.then(() =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
