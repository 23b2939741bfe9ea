import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

// Serves the built web app. Unknown paths without a file extension get index.html so
// client-side routes like /sign-in work on reload.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * What a page says about itself to link previews (Open Graph), for a client-side route: the domain
 * modules answer it (app.ts passes the function in; this file knows no module). Plain text: it is
 * escaped here.
 */
export interface PageMeta {
  title: string;
  description: string;
  /** absolute address of the page */
  url?: string;
  type?: string;
}

export type PageMetaLookup = (pathname: string) => Promise<PageMeta | null>;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** index.html with the page's title and og: tags placed in its <head>. */
export function withPageMeta(html: string, meta: PageMeta): string {
  const tags = [
    ['og:title', meta.title],
    ['og:description', meta.description],
    ['og:type', meta.type ?? 'website'],
    ...(meta.url ? [['og:url', meta.url]] : []),
  ]
    .map(([property, content]) => `<meta property="${property}" content="${escapeHtml(content ?? '')}">`)
    .concat(`<meta name="description" content="${escapeHtml(meta.description)}">`)
    .join('\n    ');
  const titled = /<title>[^<]*<\/title>/.test(html)
    ? html.replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(meta.title)}</title>`)
    : html;
  return titled.includes('</head>') ? titled.replace('</head>', () => `    ${tags}\n  </head>`) : `${tags}\n${titled}`;
}

export function createStaticHandler(root: string, options: { pageMeta?: PageMetaLookup } = {}) {
  const rootWithSep = path.resolve(root) + path.sep;

  return function serveStatic(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const candidate = path.resolve(rootWithSep, `.${decoded}`);
    // Never serve anything outside the build directory.
    const inside = candidate.startsWith(rootWithSep);
    const file = inside && isFile(candidate) ? candidate : null;
    if (!file && path.extname(decoded) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const target = file ?? path.join(rootWithSep, 'index.html');
    if (!isFile(target)) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The web app is not built. Run `pnpm build`, or use `pnpm dev` while developing.');
      return;
    }
    if (!file && options.pageMeta) {
      servePageWithMeta(req, res, target, decoded, options.pageMeta);
      return;
    }
    const immutable = target.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(target)] ?? 'application/octet-stream',
      // Vite fingerprints assets, so they can be cached forever; the HTML must not be.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(target).pipe(res);
  };
}

/** index.html, with the route's og: tags when the lookup knows the page (else as it is). */
function servePageWithMeta(
  req: IncomingMessage,
  res: ServerResponse,
  indexFile: string,
  pathname: string,
  pageMeta: PageMetaLookup,
): void {
  Promise.all([fs.promises.readFile(indexFile, 'utf8'), pageMeta(pathname).catch(() => null)])
    .then(([html, meta]) => {
      const body = meta ? withPageMeta(html, meta) : html;
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error');
      else res.end();
    });
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
