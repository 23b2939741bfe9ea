#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary, which cannot be downloaded here.
//
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY at this file. The Prisma CLI starts it the way it
// starts the native binary and talks to it the same way:
//   schema-engine [--datamodels <file>]... [--datasource '{"url":…}']   JSON-RPC 2.0 over stdin/stdout
//   schema-engine --datasource '{"url":…}' cli can-connect-to-database   one-shot checks (errors on stderr)
//   schema-engine --version
// Every JSON-RPC call is forwarded to Prisma's own WebAssembly build of the same engine
// (@prisma/schema-engine-wasm, same engine hash as prisma 7.10.0), which reaches the database through a
// driver adapter bound with bindMigrationAwareSqlAdapterFactory:
//   - PostgreSQL: @prisma/adapter-pg;
//   - PGlite (the embedded default): @electric-sql/pglite through pglite-prisma-adapter.
//
// Datasource URL convention (both go through Prisma's `postgresql` provider, whose CLI parses the URL):
//   postgres://… or postgresql://…                       a PostgreSQL server (DATABASE_URL)
//   postgresql://pglite/<name>?dir=<url-encoded absolute path>
//                                                        the PGlite data directory <path>; <name> is
//                                                        only a label (prisma.config.ts uses "guildhall")
// The CLI only insists on a postgres scheme, so the host `pglite` plus a `dir` parameter marks PGlite.
// Guildhall keeps the cluster in DATA_DIR/pglite; while it is open this process holds the lock
// DATA_DIR/guildhall.lock (./pglite-lock.mjs on the parent of `dir`), the same one the server takes.
//
// Shadow database (migrate dev, diff --from-migrations): on PostgreSQL a temporary database on the same
// server (as the native engine does), or an in-memory PGlite when it may not create databases; on
// PGlite an in-memory PGlite. stdout is the JSON-RPC channel: everything else goes to stderr.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { format } from 'node:util';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { acquirePgliteLock } from './pglite-lock.mjs';

const require = createRequire(import.meta.url);
const DEBUG = /schema-?engine|shim|\*/i.test(process.env.DEBUG ?? '') || Boolean(process.env.SCHEMA_ENGINE_SHIM_DEBUG);

// ── stderr logging, in the native engine's JSON-lines format ───────────────────────────────────────
// The CLI parses our stderr line by line as JSON (level ERROR + fields.message/error_code are shown to
// the user), so even stray console output and Node warnings are turned into JSON lines.

function log(level, message, fields = {}, target = 'schema_engine_shim') {
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target })}\n`,
  );
}
const debug = (...args) => DEBUG && log('DEBUG', format(...args));
for (const method of ['log', 'info', 'debug']) console[method] = (...args) => debug(...args);
console.warn = (...args) => log('WARN', format(...args));
console.error = (...args) => log('ERROR', format(...args));
process.removeAllListeners('warning');
process.on('warning', (warning) => debug(`${warning.name}: ${warning.message}`));

// ── command line ───────────────────────────────────────────────────────────────────────────────────

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels') {
      // The CLI passes one `--datamodels <path>` pair per schema file; accept several paths too.
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) args.datamodels.push(argv[++i]);
    } else if (arg === '--datasource') {
      args.datasource = JSON.parse(argv[++i]);
    } else if (arg === '--enabled-preview-features' || arg === '--extension-types') {
      const value = argv[++i];
      if (arg === '--extension-types' && JSON.parse(value)?.types?.length) {
        log('WARN', 'extension types are not supported by the WebAssembly schema engine; ignored');
      }
    } else if (arg === '--version' || arg === '-V') {
      args.version = true;
    } else if (arg === '--help' || arg === '-h') {
      args.help = true;
    } else if (arg === 'cli') {
      args.cli = argv.slice(i + 1);
      break;
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return args;
}

// ── datasources ────────────────────────────────────────────────────────────────────────────────────

const EMPTY = Symbol('no datasource');

/** Returns { kind: 'pglite', dir } | { kind: 'postgres', url, schema } | { kind: EMPTY }. */
function resolveDatasource(url) {
  if (!url) return { kind: EMPTY };
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('The datasource URL is not a valid URL.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`Unsupported datasource URL scheme "${parsed.protocol}": use postgres:// or postgresql://.`);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (parsed.hostname === 'pglite' && parsed.searchParams.has('dir')) {
    return { kind: 'pglite', dir: path.resolve(parsed.searchParams.get('dir')), schema };
  }
  return { kind: 'postgres', url, schema };
}

// Every database is opened when the engine first queries it and closed again — pools ended, PGlite
// closed, lock released — when the request that needed it ends, before the CLI gets the answer. The
// CLI does not wait for this process to exit, and whatever it runs next (the server, a copy of the
// data directory, CREATE DATABASE … TEMPLATE) must find the database closed and disconnected.
const sessions = new Set();
const openShadows = new Set();

class Session {
  /** `open` resolves to { adapter, close }. `keepOpen`: only closed when the process ends. */
  constructor(open, { keepOpen = false } = {}) {
    this.open = open;
    this.keepOpen = keepOpen;
    this.opened = null;
    sessions.add(this);
  }

  adapter() {
    this.opened ??= this.open();
    return this.opened.then((opened) => opened.adapter);
  }

  async close({ final = false } = {}) {
    if (!this.opened || (this.keepOpen && !final)) return;
    const pending = this.opened;
    this.opened = null; // the next query opens it again
    const opened = await pending.catch(() => null);
    await opened?.close();
  }
}

/** Closes whatever the last request opened (final: also what is kept for the engine's lifetime). */
async function closeDatabases({ final = false } = {}) {
  for (const shadow of [...openShadows])
    await shadow.dispose().catch((error) => debug('shadow dispose failed: %O', error));
  for (const session of sessions) await session.close({ final }).catch((error) => debug('close failed: %O', error));
}

/** What the engine holds on to: an adapter that reaches the session's current connection. */
function sessionAdapter(session, adapterName, schemaName) {
  const forward =
    (method) =>
    async (...args) =>
      (await session.adapter())[method](...args);
  return {
    provider: 'postgres',
    adapterName,
    queryRaw: forward('queryRaw'),
    executeRaw: forward('executeRaw'),
    executeScript: forward('executeScript'),
    startTransaction: forward('startTransaction'),
    getConnectionInfo: () => ({ schemaName, supportsRelationJoins: true }),
    dispose: async () => {},
  };
}

/** A shadow database lives for one engine step; anything the engine leaves open is closed with the request. */
function trackShadow(adapter, dispose) {
  let disposed = false;
  adapter.dispose = async () => {
    if (disposed) return;
    disposed = true;
    openShadows.delete(adapter);
    await dispose();
  };
  openShadows.add(adapter);
  return adapter;
}

/**
 * The PGlite cluster in `pgliteDir` (DATA_DIR/pglite). The lock is taken on its parent, DATA_DIR —
 * `${DATA_DIR}/guildhall.lock`, the same file the server takes (server/src/db.ts).
 */
async function openPgliteDirectory(pgliteDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  // Throws PGLITE_LOCKED (with a clear message) when the server or another CLI has it open.
  const lock = acquirePgliteLock(path.dirname(pgliteDir));
  try {
    const started = Date.now();
    const db = new PGlite(pgliteDir);
    await db.waitReady;
    debug(`opened PGlite ${pgliteDir} in ${Date.now() - started} ms`);
    const adapter = await pgliteAdapter(db);
    return {
      adapter,
      close: async () => {
        lock.markClosing(); // someone starting right now waits for us instead of failing
        await db.close();
        lock.release();
        debug(`closed PGlite ${pgliteDir}`);
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

// Shadow and scratch databases are fresh in-memory clusters. initdb takes seconds and `migrate dev`
// needs several shadows, so keep a dump of one pristine cluster (also on disk, per PGlite version)
// and clone it: loading the dump takes well under a second.
const CACHE_DIR = path.resolve(import.meta.dirname, '../../node_modules/.cache/guildhall-schema-engine');
let pristineImage = null;

async function pristineClusterImage(PGlite) {
  const { version } = JSON.parse(
    fs.readFileSync(path.join(path.dirname(require.resolve('@electric-sql/pglite')), '../package.json'), 'utf8'),
  );
  const cacheFile = path.join(CACHE_DIR, `pglite-${version}-pristine.tar`);
  try {
    return { image: new Blob([fs.readFileSync(cacheFile)]), cacheFile };
  } catch {}
  const started = Date.now();
  const db = new PGlite('memory://');
  await db.waitReady;
  const image = await db.dumpDataDir('none');
  await db.close();
  debug(`initialised a pristine PGlite cluster in ${Date.now() - started} ms`);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
    fs.renameSync(tmp, cacheFile);
  } catch (error) {
    debug(`cannot cache the PGlite cluster image: ${error.message}`);
  }
  return { image, cacheFile: null };
}

async function openMemoryPglite() {
  const { PGlite } = await import('@electric-sql/pglite');
  pristineImage ??= pristineClusterImage(PGlite);
  const { image, cacheFile } = await pristineImage;
  const started = Date.now();
  try {
    const db = new PGlite({ dataDir: 'memory://', loadDataDir: image });
    await db.waitReady;
    debug(`cloned an in-memory PGlite in ${Date.now() - started} ms`);
    return db;
  } catch (error) {
    if (!cacheFile) throw error;
    log('WARN', `discarding unusable PGlite cache ${cacheFile}: ${error.message}`);
    fs.rmSync(cacheFile, { force: true });
    pristineImage = pristineClusterImage(PGlite);
    return openMemoryPglite();
  }
}

async function memoryPgliteShadow() {
  const db = await openMemoryPglite();
  return trackShadow(await pgliteAdapter(db), () => db.close());
}

/** pglite-prisma-adapter's adapter, with executeScript fixed to wait for the script and report its errors. */
async function pgliteAdapter(db) {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const adapter = await new PrismaPGlite(db).connect();
  // Upstream calls db.exec() without awaiting it: failures became unhandled rejections and the
  // engine moved on before a migration had finished. exec() runs the whole script in one
  // simple-protocol message, like the native engine does.
  adapter.executeScript = async (script) => {
    try {
      await db.exec(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

class PgliteAdapterFactory {
  provider = 'postgres';
  adapterName = 'pglite-prisma-adapter';

  /** pgliteDir null means a scratch in-memory database (for diffs that never read a live database). */
  constructor(pgliteDir, schema) {
    this.schema = schema;
    this.session = pgliteDir
      ? new Session(() => openPgliteDirectory(pgliteDir))
      : new Session(
          async () => {
            const db = await openMemoryPglite();
            return { adapter: await pgliteAdapter(db), close: () => db.close() };
          },
          { keepOpen: true },
        );
  }

  async connect() {
    return sessionAdapter(this.session, this.adapterName, this.schema);
  }

  connectToShadowDb() {
    return memoryPgliteShadow();
  }
}

let pgPatched = false;
/**
 * Two fixes to @prisma/adapter-pg 7.10 for migrations:
 * - it has no column type for OID 18 (`"char"`, used all over pg_catalog), so introspecting a live
 *   database (diff, drift detection) failed with "Unsupported column type char": report it as text;
 * - its executeScript splits the script on every `;` (breaking function bodies and string literals)
 *   and runs the pieces one by one: send the whole script in one simple-protocol query instead, as
 *   the native engine does (PostgreSQL then runs it as one implicit transaction).
 */
function fixPgAdapter(adapter) {
  if (!pgPatched) {
    const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)); // PgQueryable.prototype
    const performIO = queryable.performIO;
    if (typeof performIO !== 'function') throw new Error('@prisma/adapter-pg changed: performIO not found');
    queryable.performIO = async function (query) {
      const result = await performIO.call(this, query);
      for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    };
    pgPatched = true;
  }
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

async function pgAdapter(url, schema) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  // One connection, like the native engine: session state such as the migration advisory lock
  // (pg_advisory_lock(72707369)) must be taken and released on the same connection.
  return fixPgAdapter(await new PrismaPg({ connectionString: url, max: 1 }, { schema }).connect());
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

class PostgresAdapterFactory {
  provider = 'postgres';
  adapterName = '@prisma/adapter-pg';

  constructor(url, schema) {
    this.url = url;
    this.schema = schema;
    this.session = new Session(async () => {
      const adapter = await pgAdapter(url, schema);
      return { adapter, close: () => adapter.dispose() };
    });
  }

  async connect() {
    return sessionAdapter(this.session, this.adapterName, this.schema);
  }

  // Not PrismaPg#connectToShadowDb: in 7.10 its shadow pool inherits the main connectionString,
  // which overrides the shadow database name, so it would run on the main database.
  async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = await pgAdapter(this.url, undefined);
    try {
      await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (error) {
      await admin.dispose();
      log('WARN', `cannot create a shadow database on the server (${error.message}); using an in-memory PGlite`);
      return memoryPgliteShadow();
    }
    const shadow = await pgAdapter(withDatabase(this.url, name), this.schema);
    const closeShadow = shadow.dispose.bind(shadow);
    return trackShadow(shadow, async () => {
      await closeShadow(); // disconnect first: a database in use cannot be dropped
      try {
        await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      } finally {
        await admin.dispose();
      }
    });
  }
}

// ── the WebAssembly engine ─────────────────────────────────────────────────────────────────────────

async function loadWasmRuntime() {
  // The engine reports panics through this global before trapping.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(message) {
      this.message = message;
    },
  };
  // The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do
  // without a flag: instantiate it by hand, as @prisma/internals' wasmSchemaEngineLoader does.
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const runtime = await import(pathToFileURL(bindingsPath).href);
  const bytes = fs.readFileSync(path.join(path.dirname(bindingsPath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': runtime });
  runtime.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return runtime;
}

function engineHash() {
  const packageJson = path.join(
    path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'package.json',
  );
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
  return version.slice(version.lastIndexOf('.') + 1); // "7.10.0-4.<hash>"
}

const LIVE_DIFF_TARGETS = new Set(['schemaDatasource', 'url']);

function readDatamodels(paths) {
  // Must be undefined or non-empty, like @prisma/migrate's SchemaEngineWasm passes it.
  return paths.length ? paths.map((file) => [file, fs.readFileSync(file, 'utf8')]) : undefined;
}

/** Creates the adapter factory for the datasource; `firstRequest` lets a pure diff skip the real database. */
async function adapterFactoryFor(datasource, firstRequest) {
  const target = resolveDatasource(datasource?.url);
  if (datasource?.shadowDatabaseUrl) {
    log('WARN', 'shadowDatabaseUrl is not supported by this schema engine; a temporary shadow database is used');
  }
  const needsLiveDatabase =
    firstRequest?.method !== 'diff' ||
    [firstRequest.params?.from?.tag, firstRequest.params?.to?.tag].some((tag) => LIVE_DIFF_TARGETS.has(tag));
  if (target.kind === 'postgres') return new PostgresAdapterFactory(target.url, target.schema);
  // A diff between schema files / migrations must not need (or lock) the PGlite directory.
  if (target.kind === 'pglite' && needsLiveDatabase) return new PgliteAdapterFactory(target.dir, target.schema);
  return new PgliteAdapterFactory(null, target.schema);
}

// ── errors ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Driver errors cross the wasm boundary as "External error id#N": the original JS error waits in the
 * bound factory's registry. Put its message back so the user sees what the database said.
 */
function explainExternalErrors(text, registry) {
  return String(text).replace(/External error id#(\d+)/g, (match, id) => {
    const entry = registry?.consumeError(Number(id));
    const error = entry?.error;
    if (!error) return match;
    return error.code ? `${error.message} (${error.code})` : (error.message ?? String(error));
  });
}

function isWasmPanic(error) {
  return error instanceof WebAssembly.RuntimeError || error?.name === 'RuntimeError';
}

/** The error object the Prisma CLI expects from the native engine (see SchemaEngineCLI#runCommand). */
function toRpcError(error, registry) {
  if (isWasmPanic(error)) {
    const message = globalThis.PRISMA_WASM_PANIC_REGISTRY?.message || error.message;
    return {
      code: 4466,
      message: 'Schema engine panicked.',
      data: { is_panic: true, message, backtrace: error.stack },
    };
  }
  const message = explainExternalErrors(error?.message ?? String(error), registry);
  const data = { is_panic: false, message };
  if (typeof error?.code === 'string') data.error_code = error.code;
  if (error?.meta !== undefined) data.meta = error.meta;
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

// ── JSON-RPC server ────────────────────────────────────────────────────────────────────────────────

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

// Requests we send to the CLI (only `print`), waiting for its acknowledgement.
const pendingClientCalls = new Map();
let nextClientCallId = 1;
function callClient(method, params) {
  const id = nextClientCallId++;
  return new Promise((resolve) => {
    pendingClientCalls.set(id, resolve);
    send({ jsonrpc: '2.0', id, method, params });
  });
}

function createEngineHost(args) {
  let enginePromise = null;
  let registry = null;

  async function engineFor(request) {
    enginePromise ??= (async () => {
      const [runtime, factory] = await Promise.all([loadWasmRuntime(), adapterFactoryFor(args.datasource, request)]);
      const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
      const bound = bindMigrationAwareSqlAdapterFactory(factory);
      registry = bound.errorRegistry;
      const onLog = (line) => debug('[wasm]', line);
      return runtime.SchemaEngine.new({ datamodels: readDatamodels(args.datamodels) }, onLog, bound);
    })();
    return enginePromise;
  }

  // Unlike the native engine, the wasm engine's evaluateDataLoss and createMigration get no shadow
  // database: they only find the schema of the migration history in a cache that diagnosing the
  // history with a shadow database fills (keyed by the list of migrations then applied). When
  // `migrate dev` has just applied pending migrations, that cache misses and the engine fails with
  // "PostgreSQL shadow DB must be provided through an external factory". So before those calls,
  // diagnose once more (now that everything is applied) unless the cache is known to be warm.
  const warmHistories = new Set();
  let lastDiagnosed = null;
  const historyKey = (p) => JSON.stringify(p?.migrationsList?.migrationDirectories ?? []);
  const diagnosed = (p) => {
    lastDiagnosed = historyKey(p);
  };
  async function warmHistoryCache(engine, p) {
    const key = historyKey(p);
    if (warmHistories.has(key)) return;
    debug('warming the migration history cache');
    await engine
      .diagnoseMigrationHistory({ migrationsList: p.migrationsList, optInToShadowDatabase: true, filters: p.filters })
      .catch((error) => debug('warm-up diagnose failed: %O', error)); // the real call reports errors
    warmHistories.add(key);
  }

  // JSON-RPC method → call on the wasm engine. Methods are called on the engine object itself (not
  // through an extracted function) to keep wasm-bindgen's `this`.
  const methods = {
    applyMigrations: async (e, p) => {
      const result = await e.applyMigrations(p);
      // Nothing applied since the history was diagnosed: that diagnosis cached this very list.
      if (result.appliedMigrationNames.length === 0 && lastDiagnosed === historyKey(p))
        warmHistories.add(lastDiagnosed);
      return result;
    },
    createMigration: async (e, p) => {
      await warmHistoryCache(e, p);
      return e.createMigration(p);
    },
    dbExecute: async (e, p) => (await e.dbExecute(p)) ?? {},
    devDiagnostic: async (e, p) => {
      const result = await e.devDiagnostic(p);
      diagnosed(p);
      return result;
    },
    diagnoseMigrationHistory: async (e, p) => {
      const result = await e.diagnoseMigrationHistory(p);
      if (p?.optInToShadowDatabase) diagnosed(p);
      return result;
    },
    ensureConnectionValidity: async (e, p) => (await e.ensureConnectionValidity(p)) ?? {},
    evaluateDataLoss: async (e, p) => {
      await warmHistoryCache(e, p);
      return e.evaluateDataLoss(p);
    },
    introspect: (e, p) => e.introspect(p),
    introspectSql: (e, p) => e.introspectSql(p),
    markMigrationApplied: async (e, p) => (await e.markMigrationApplied(p)) ?? {},
    markMigrationRolledBack: async (e, p) => (await e.markMigrationRolledBack(p)) ?? {},
    reset: async (e, p) => (await e.reset(p)) ?? {},
    schemaPush: (e, p) => e.schemaPush(p),
    getDatabaseVersion: (e, p) => e.version(p ?? null),
    version: (e, p) => e.version(p ?? null),
    debugPanic: (e) => e.debugPanic(),
    // The native engine prints the diff through a `print` request to the CLI (its result carries no
    // stdout); the wasm engine returns it instead, so relay it the native way.
    diff: async (e, p) => {
      const { stdout, ...result } = await e.diff(p);
      if (stdout) await callClient('print', { content: stdout.replace(/\n$/, '') });
      return { ...result, stdout: null };
    },
  };

  // Not an engine method in the wasm build: done here, like the `cli create-database` command.
  const withoutEngine = {
    createDatabase: async (p) => ({ databaseName: await createDatabase(p?.datasource?.url ?? args.datasource?.url) }),
  };

  async function handle(request) {
    const { id, method, params } = request;
    const call = methods[method];
    if (!call && !withoutEngine[method]) {
      const message = `Method not supported by the WebAssembly schema engine: ${method}`;
      return send({ jsonrpc: '2.0', id, error: { code: -32601, message, data: { is_panic: false, message } } });
    }
    const started = Date.now();
    let response;
    try {
      const result = call ? await call(await engineFor(request), params) : await withoutEngine[method](params);
      debug(`${method} done in ${Date.now() - started} ms`);
      response = { jsonrpc: '2.0', id, result: result ?? null };
    } catch (error) {
      debug(`${method} failed: %O`, error);
      const rpcError = toRpcError(error, registry);
      log('ERROR', rpcError.data.message, rpcError.data.error_code ? { error_code: rpcError.data.error_code } : {});
      response = { jsonrpc: '2.0', id, error: rpcError };
    }
    await closeDatabases(); // before answering: this answer may be the CLI's last word to us
    send(response);
    if (response.error?.data?.is_panic) await shutdown(101); // the wasm instance is unusable after a trap
  }

  return { handle };
}

function serveJsonRpc(args) {
  const host = createEngineHost(args);
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (message.method === undefined) {
      // An answer to one of our own requests.
      pendingClientCalls.get(message.id)?.(message);
      pendingClientCalls.delete(message.id);
      return;
    }
    // One call at a time, in order, like the native engine.
    queue = queue.then(() => host.handle(message));
  });
  // The CLI ends stdin when it is done with us. The wasm engine keeps a timer alive for ~10 s, so
  // exit explicitly instead of waiting for the event loop to drain.
  lines.on('close', () => queue.then(() => shutdown(0)));
}

// ── one-shot `cli` commands ────────────────────────────────────────────────────────────────────────

function describeServer(url) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port || '5432',
    user: decodeURIComponent(parsed.username || process.env.PGUSER || ''),
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  };
}

/** A user-facing error with a Prisma error code, as the CLI prints it ("P1001: …"). */
class KnownError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function knownConnectionError(error, url) {
  const { host, port, user, database } = describeServer(url);
  const cause = error?.cause ?? {};
  switch (cause.kind) {
    case 'DatabaseDoesNotExist':
      return new KnownError(
        'P1003',
        `Database \`${database}\` does not exist on the database server at \`${host}:${port}\`.`,
      );
    case 'AuthenticationFailed':
      return new KnownError(
        'P1000',
        `Authentication failed against database server at \`${host}\`, the provided database credentials for \`${user}\` are not valid.`,
      );
    case 'DatabaseAccessDenied':
      return new KnownError('P1010', `User \`${user}\` was denied access on the database \`${database}\``);
    case 'DatabaseNotReachable':
    case 'SocketTimeout':
    case 'ConnectionClosed':
      return new KnownError(
        'P1001',
        `Can't reach database server at \`${host}:${port}\`\n\nPlease make sure your database server is running at \`${host}:${port}\`.`,
      );
    default:
      return new Error(cause.originalMessage ?? cause.message ?? error?.message ?? String(error));
  }
}

async function canConnect(url) {
  const target = resolveDatasource(url);
  if (target.kind === EMPTY) throw new Error('Connection url is empty.');
  if (target.kind === 'pglite') {
    // Opening PGlite just to close it again costs seconds; the lock (and creating the directory)
    // is what can fail, and it fails here with the clear "in use by PID …" message.
    acquirePgliteLock(path.dirname(target.dir)).release();
    return;
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapter = await new PrismaPg({ connectionString: url, max: 1 }).connect();
  try {
    await adapter.executeRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
  } catch (error) {
    throw knownConnectionError(error, url);
  } finally {
    await adapter.dispose().catch(() => {});
  }
}

async function createDatabase(url) {
  const target = resolveDatasource(url);
  if (target.kind === 'pglite') {
    acquirePgliteLock(path.dirname(target.dir)).release(); // PGlite initialises the cluster on first open
    return path.basename(target.dir);
  }
  if (target.kind !== 'postgres') throw new Error('Connection url is empty.');
  const { database } = describeServer(url);
  const { PrismaPg } = await import('@prisma/adapter-pg');
  let lastError;
  // CREATE DATABASE must run while connected to another database of the same server.
  for (const maintenance of ['postgres', 'template1']) {
    const adapter = await new PrismaPg({ connectionString: withDatabase(url, maintenance), max: 1 }).connect();
    try {
      await adapter.client.query(`CREATE DATABASE ${quoteIdent(database)}`);
      return database;
    } catch (error) {
      lastError = error;
      if (error.code === '42P04') return database; // already exists
    } finally {
      await adapter.dispose().catch(() => {});
    }
  }
  throw new Error(`Could not create database \`${database}\`: ${lastError?.message}`);
}

async function runCliCommand(args) {
  const [command] = args.cli;
  const url = args.datasource?.url;
  // The CLI skips the first stderr line and parses every other one as JSON; when the command fails
  // it shows the ERROR line from `schema_engine::logger` as "<error_code>: <message>".
  log('INFO', `schema-engine-cli ${command}`);
  try {
    if (command === 'can-connect-to-database') await canConnect(url);
    else if (command === 'create-database') await createDatabase(url);
    else throw new Error(`Unsupported cli command: ${command ?? '(none)'}`);
    await shutdown(0);
  } catch (error) {
    const message = error?.message ?? String(error);
    const fields = error?.code && /^P\d{4}$|^PGLITE_LOCKED$/.test(error.code) ? { error_code: error.code } : {};
    log('ERROR', message, fields, 'schema_engine::logger');
    await shutdown(1);
  }
}

// ── lifecycle ──────────────────────────────────────────────────────────────────────────────────────

let shuttingDown = null;
function shutdown(code) {
  shuttingDown ??= (async () => {
    // Normally nothing is open any more (see Session). Don't let a hung close keep the directory
    // locked forever: the lock's 'exit' hook still releases it.
    const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([closeDatabases({ final: true }), timeout]);
    process.exit(code);
  })();
  return shuttingDown;
}

// The CLI stops us with stdin EOF followed at once by SIGTERM: close PGlite cleanly instead of dying.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => shutdown(0));
process.stdout.on('error', () => shutdown(1)); // EPIPE: the CLI is gone
process.on('unhandledRejection', (error) => log('ERROR', `unhandled rejection: ${error?.stack ?? error}`));

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    log('ERROR', error.message);
    return shutdown(1);
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${engineHash()}\n`);
    return shutdown(0);
  }
  if (args.help) {
    process.stdout.write('Prisma schema engine (WebAssembly shim). See the comments in this file.\n');
    return shutdown(0);
  }
  if (args.cli) return runCliCommand(args);
  serveJsonRpc(args);
}

main().catch((error) => {
  log('ERROR', error?.stack ?? String(error));
  shutdown(1);
});
