// `pnpm db:seed`: the same idempotent demo data the embedded default gets on first start.
import { openDatabase } from '../server/src/db.js';
import { loadEnv } from '../server/src/env.js';
import { DEMO_LOGIN, seedDemoData } from '../server/src/seed/demo-data.js';

const env = loadEnv();
const database = await openDatabase(env);
try {
  const result = await seedDemoData(database.prisma);
  console.log(`Seeded ${result.members} members and ${result.skills} skills on ${database.kind}.`);
  console.log(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
} finally {
  await database.close();
}
