import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import { DEMO_LOGIN, seedDemoData } from './demo-data.js';

/** The embedded default starts with a demo community the first time; PostgreSQL only when asked. */
export async function seedIfEmpty(app: App, logger: Logger): Promise<void> {
  const mode = app.services.env.SEED_DEMO;
  if (mode === 'never') return;
  if (mode === 'auto') {
    if (app.database.kind !== 'pglite') return;
    if ((await app.services.db.user.count()) > 0) return;
  }
  const result = await seedDemoData(app.services.db);
  logger.info('demo data ready', { ...result, demoLogin: DEMO_LOGIN.email, demoPassword: DEMO_LOGIN.password });
}
