import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

// Serves the built web app. Unknown paths without a file extension get index.html so
// client-side routes like /sign-in work on reload. Files are sent precompressed when the build wrote a
// .br/.gz copy and the browser accepts it.

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
  const assetsDir = path.join(rootWithSep, 'assets') + path.sep;

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
    // Vite fingerprints what it writes under assets/ (the name changes with the content), so those can be
    // cached for a year without asking again; index.html and the unhashed public files must be revalidated.
    const cacheControl = target.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache';
    serveFile(req, res, target, cacheControl);
  };
}

type Encoding = 'br' | 'gzip';

// The build writes these beside each compressible file (web/precompress.ts); brotli is the smaller.
const PRECOMPRESSED: Array<{ encoding: Encoding; suffix: string }> = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
];

/**
 * The file, or its precompressed copy the client accepts (brotli, then gzip, then as it is), with its
 * length and an ETag per representation; a matching If-None-Match gets 304.
 */
function serveFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): void {
  const accepted = acceptedEncodings(req.headers['accept-encoding']);
  let chosen: { encoding: Encoding | null; path: string; stats: fs.Stats } | null = null;
  let hasVariants = false;
  for (const { encoding, suffix } of PRECOMPRESSED) {
    const stats = statFile(file + suffix);
    if (!stats) continue;
    hasVariants = true;
    if (!chosen && accepted.has(encoding)) chosen = { encoding, path: file + suffix, stats };
  }
  if (!chosen) {
    const stats = statFile(file);
    if (!stats) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    chosen = { encoding: null, path: file, stats };
  }
  const etag = `"${chosen.stats.size.toString(36)}-${Math.floor(chosen.stats.mtimeMs).toString(36)}${
    chosen.encoding ? `-${chosen.encoding}` : ''
  }"`;
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
  };
  // Caches between here and the browser must keep the encodings apart.
  if (hasVariants) headers.vary = 'Accept-Encoding';
  if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  headers['content-length'] = chosen.stats.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(chosen.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * The precompressed encodings an Accept-Encoding header allows (RFC 9110 §12.5.3): named with a q above 0,
 * or covered by `*` unless refused by name. No header means identity only.
 */
export function acceptedEncodings(header: string | undefined): Set<Encoding> {
  const accepted = new Set<Encoding>();
  if (!header) return accepted;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  for (const encoding of ['br', 'gzip'] as const) {
    const weight =
      weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*');
    if (weight !== undefined && weight > 0) accepted.add(encoding);
  }
  return accepted;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * index.html, with the route's og: tags when the lookup knows the page (made per request, sent as it is);
 * else the file itself, precompressed like any other.
 */
function servePageWithMeta(
  req: IncomingMessage,
  res: ServerResponse,
  indexFile: string,
  pathname: string,
  pageMeta: PageMetaLookup,
): void {
  pageMeta(pathname)
    .catch(() => null)
    .then(async (meta) => {
      if (!meta) {
        serveFile(req, res, indexFile, 'no-cache');
        return;
      }
      const body = withPageMeta(await fs.promises.readFile(indexFile, 'utf8'), meta);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES['.html'],
        'cache-control': 'no-cache',
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error');
      else res.end();
    });
}

function isFile(file: string): boolean {
  return statFile(file) !== null;
}

function statFile(file: string): fs.Stats | null {
  try {
    const stats = fs.statSync(file);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}
