import { openDatabase } from './db.js';
import { EnvError, loadEnv } from './env.js';
import { createLogger } from './logger.js';
import { MigrationError, migrateOnStart } from './migrations.js';
import { StartupRefusedError, seedIfEmpty } from './seed/seed-on-start.js';

// Starts Guildhall; everything else lives in buildApp().

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  // The application's modules load while the database opens (the two are most of a restart; they
  // overlap where either waits on files).
  const appModule = import('./app.js');
  appModule.catch(() => {}); // awaited below; not unhandled if opening the database fails first
  // Applies pending migrations first (a cheap check when there are none; see migrations.ts).
  const database = await migrateOnStart(() => openDatabase(env), logger, env);
  const { buildApp } = await appModule;
  const app = await buildApp(env, { logger, database });
  try {
    await seedIfEmpty(app, logger);
  } catch (error) {
    await app.stop();
    throw error;
  }
  // Before start(): a signal that arrives while the server is starting still shuts it down cleanly.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      app.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error: String(error) });
          process.exit(1);
        },
      );
    });
  }
  await app.start();
}

main().catch((error: unknown) => {
  if (
    error instanceof EnvError ||
    error instanceof StartupRefusedError ||
    error instanceof MigrationError ||
    (error as { code?: string }).code === 'PGLITE_LOCKED'
  ) {
    process.stderr.write(`${(error as Error).message}\n`);
  } else {
    process.stderr.write(
      `Guildhall could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
