import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

// The built web app as the server sends it: precompressed copies chosen by Accept-Encoding, a year of
// immutable caching for fingerprinted assets, revalidation for index.html, ETags, nothing outside the build.

let server: TestServer;
let parent: string;
let webDist: string;

const INDEX = `<!doctype html>\n<html>\n  <head>\n    <title>Guildhall</title>\n  </head>\n  <body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body>\n</html>\n`;
const SCRIPT = `export function hello(){return ${JSON.stringify('hello '.repeat(2000))}}\n`;
const ASSET = '/assets/index-Ab12Cd34.js';

function write(relative: string, body: string | Buffer): void {
  const file = path.join(webDist, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
}

/** What web/precompress.ts writes beside a file. */
function writeWithCopies(relative: string, body: string): void {
  write(relative, body);
  write(`${relative}.br`, zlib.brotliCompressSync(body));
  write(`${relative}.gz`, zlib.gzipSync(body));
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add its own Accept-Encoding and decode). */
function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}${pathname}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'static-files-'));
  webDist = path.join(parent, 'dist');
  fs.writeFileSync(path.join(parent, 'secret.txt'), 'outside the build');
  writeWithCopies('index.html', INDEX);
  writeWithCopies(ASSET.slice(1), SCRIPT);
  write('favicon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  server = await startServer({ env: { WEB_DIST: webDist } });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(parent, { recursive: true, force: true });
});

describe('static files', () => {
  it('sends brotli when accepted, else gzip, else the file as it is, each with its own length', async () => {
    const br = await get(ASSET, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);

    const gzip = await get(ASSET, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const plain = await get(ASSET, accept ? { 'accept-encoding': accept } : {});
      expect(plain.headers['content-encoding'], accept).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(SCRIPT));
      expect(plain.body.toString()).toBe(SCRIPT);
    }
    // q-values: a refused brotli falls back to gzip; `*` covers both
    expect((await get(ASSET, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await get(ASSET, { 'accept-encoding': '*' })).headers['content-encoding']).toBe('br');
    expect((await get(ASSET, { 'accept-encoding': '*, br;q=0' })).headers['content-encoding']).toBe('gzip');
  });

  it('caches fingerprinted assets for a year, and revalidates index.html and unhashed files', async () => {
    const asset = await get(ASSET, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const pathname of ['/', '/index.html', '/groups/some-group', '/favicon.svg']) {
      const page = await get(pathname, { 'accept-encoding': 'br' });
      expect(page.status, pathname).toBe(200);
      expect(page.headers['cache-control'], pathname).toBe('no-cache');
    }
    // index.html is precompressed too (a route whose page has no link preview gets it as built)
    const spa = await get('/groups/some-group', { 'accept-encoding': 'gzip' });
    expect(spa.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(spa.body).toString()).toBe(INDEX);
    // a file with no compressed copy is sent as it is, with no Vary
    const icon = await get('/favicon.svg', { 'accept-encoding': 'br, gzip' });
    expect(icon.headers['content-encoding']).toBeUndefined();
    expect(icon.headers.vary).toBeUndefined();
    expect(icon.headers['content-type']).toBe('image/svg+xml');
  });

  it('answers 304 to a matching If-None-Match, per encoding', async () => {
    const first = await get(ASSET, { 'accept-encoding': 'br' });
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await get(ASSET, { 'accept-encoding': 'br', 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // the gzip copy is another representation: the brotli ETag does not match it
    const gzip = await get(ASSET, { 'accept-encoding': 'gzip', 'if-none-match': etag ?? '' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers.etag).not.toBe(etag);
    const index = await get('/', { 'accept-encoding': 'br' });
    expect((await get('/', { 'accept-encoding': 'br', 'if-none-match': index.headers.etag ?? '' })).status).toBe(304);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get(ASSET, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });

  it('serves nothing outside the build directory', async () => {
    for (const pathname of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/secret.txt%00.js',
    ]) {
      const response = await get(pathname, { 'accept-encoding': 'br, gzip' });
      expect(response.body.toString(), pathname).not.toContain('outside the build');
      expect([400, 404], pathname).toContain(response.status);
    }
    // a missing asset is a 404, not index.html
    expect((await get('/assets/missing-00000000.js')).status).toBe(404);
  });
});
