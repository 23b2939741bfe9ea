import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import { verifyPassword } from '../modules/accounts/passwords.js';
import { DEMO_LOGIN, seedDemoData } from './demo-data.js';

/** The server will not start: the message says why and what to do. */
export class StartupRefusedError extends Error {
  readonly code = 'STARTUP_REFUSED';
}

// Every demo member's address is on this domain (demo-data.ts), and all share DEMO_LOGIN.password.
const DEMO_DOMAIN = DEMO_LOGIN.email.slice(DEMO_LOGIN.email.indexOf('@'));

/**
 * The embedded default starts with a demo community the first time; PostgreSQL only when asked.
 * In production the demo is opt-in only (SEED_DEMO=always), and a production server refuses to
 * start while demo accounts still have the published password, unless that was asked for.
 */
export async function seedIfEmpty(app: App, logger: Logger): Promise<void> {
  const { SEED_DEMO: mode, NODE_ENV } = app.services.env;
  if (NODE_ENV === 'production' && mode !== 'always') await refusePublishedDemoPasswords(app);
  if (mode === 'never') return;
  if (mode === 'auto') {
    if (NODE_ENV === 'production' || app.database.kind !== 'pglite') return;
    if ((await app.services.db.user.count()) > 0) return;
  }
  const result = await seedDemoData(app.services.db);
  logger.info('demo data ready', { ...result, demoLogin: DEMO_LOGIN.email, demoPassword: DEMO_LOGIN.password });
}

async function refusePublishedDemoPasswords(app: App): Promise<void> {
  const candidates = await app.services.db.user.findMany({
    where: { email: { endsWith: DEMO_DOMAIN, mode: 'insensitive' } },
    select: { email: true, passwordHash: true },
    orderBy: { email: 'asc' },
  });
  const exposed: string[] = [];
  for (const user of candidates) {
    if (await verifyPassword(user.passwordHash, DEMO_LOGIN.password)) exposed.push(user.email);
  }
  if (exposed.length === 0) return;
  const named = exposed.slice(0, 3).join(', ') + (exposed.length > 3 ? ` and ${exposed.length - 3} more` : '');
  throw new StartupRefusedError(
    `Guildhall will not start in production: ${exposed.length} demo account(s) (${named}) still have the published ` +
      `demo password. Delete them or change their passwords, or set SEED_DEMO=always to run the demo on purpose.`,
  );
}
