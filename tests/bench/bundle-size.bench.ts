import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { repoRoot } from '../support/paths.js';
import type { Benchmark } from './registry.js';

// The JavaScript a browser must fetch before the first page (`/`, signed out or signed in) can render:
// the entry chunk, the chunks it imports statically (what index.html modulepreloads) and the home page's
// chunk with its own static imports (plus any chunk the home page splits off under features/home). The
// Temporal polyfill, which only browsers without a native Temporal fetch, is printed apart.
// Read from a fresh production build's Vite manifest; sizes are the gzip copies the build writes and the
// server sends (web/precompress.ts), brotli alongside.

const CEILING_BYTES = 120_000;
const webDir = path.join(repoRoot, 'web');
const distDir = path.join(webDir, 'dist');
const FIRST_PAGE = 'src/features/home/home-page.tsx';
const PAGE_DIR = 'src/features/home/';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The chunk keys needed to run `key`: itself and its static imports, transitively. */
function staticClosure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the Vite manifest`);
  into.add(key);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

/** Size of the copy the server sends for this encoding (compressed here the same way when absent). */
function encodedSize(file: string, encoding: 'gz' | 'br'): number {
  const copy = `${file}.${encoding}`;
  if (fs.existsSync(copy)) return fs.statSync(copy).size;
  const body = fs.readFileSync(file);
  return encoding === 'gz'
    ? zlib.gzipSync(body, { level: 9 }).length
    : zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export const bundleSizeBenchmark: Benchmark = {
  name: 'bundle-size',
  description: 'first page JavaScript (entry, its static imports, the home page), gzipped, from a production build',
  needsDatabase: false,
  async run() {
    if (process.env.BENCH_BUNDLE_SKIP_BUILD !== '1') {
      await promisify(execFile)('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: webDir });
    }
    const manifestFile = path.join(distDir, '.vite/manifest.json');
    if (!fs.existsSync(manifestFile)) throw new Error(`no ${manifestFile}: build the web app first`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;

    const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
    if (entries.length !== 1) throw new Error(`expected one entry in the manifest, found ${entries.length}`);
    const [entryKey] = entries[0]!;
    const needed = staticClosure(manifest, entryKey);
    const pages = [FIRST_PAGE];
    for (let i = 0; i < pages.length; i++) {
      const key = pages[i]!;
      staticClosure(manifest, key, needed);
      for (const split of manifest[key]?.dynamicImports ?? []) {
        if (manifest[split]?.src?.startsWith(PAGE_DIR) && !pages.includes(split)) pages.push(split);
      }
    }

    const chunks = [...needed]
      .map((key) => manifest[key]!.file)
      .filter((file) => file.endsWith('.js'))
      .map((file) => {
        const full = path.join(distDir, file);
        return { file, raw: fs.statSync(full).size, gzip: encodedSize(full, 'gz'), brotli: encodedSize(full, 'br') };
      })
      .sort((a, b) => b.gzip - a.gzip);
    const total = (field: 'raw' | 'gzip' | 'brotli') => chunks.reduce((sum, chunk) => sum + chunk[field], 0);
    const allJs = Object.values(manifest)
      .map((chunk) => chunk.file)
      .filter((file, i, files) => file.endsWith('.js') && files.indexOf(file) === i)
      .reduce((sum, file) => sum + encodedSize(path.join(distDir, file), 'gz'), 0);

    // The Temporal polyfill is fetched only by browsers without a native Temporal (web/src/main.tsx).
    const polyfillKeys = (manifest[entryKey]!.dynamicImports ?? []).filter((key) => key.includes('temporal-polyfill'));
    const polyfill = new Set<string>();
    for (const key of polyfillKeys) staticClosure(manifest, key, polyfill);
    const polyfillGzip = [...polyfill]
      .filter((key) => !needed.has(key) && manifest[key]!.file.endsWith('.js'))
      .reduce((sum, key) => sum + encodedSize(path.join(distDir, manifest[key]!.file), 'gz'), 0);

    return {
      lines: [
        ...chunks.map(
          (chunk) =>
            `${chunk.file.padEnd(44)} ${kB(chunk.raw).padStart(9)}  gzip ${kB(chunk.gzip).padStart(8)}  br ${kB(chunk.brotli).padStart(8)}`,
        ),
        `first page: ${chunks.length} chunks, ${kB(total('raw'))} minified, ${kB(total('gzip'))} gzip, ${kB(total('brotli'))} brotli`,
        `browsers without a native Temporal also fetch the polyfill first: ${kB(polyfillGzip)} gzip (${kB(total('gzip') + polyfillGzip)} in all)`,
        `whole app: ${kB(allJs)} gzip of JavaScript`,
      ],
      targets: [
        {
          text: `first page JavaScript ${kB(total('gzip'))} gzipped ≤ ${kB(CEILING_BYTES)}`,
          met: total('gzip') <= CEILING_BYTES,
        },
      ],
    };
  },
};
