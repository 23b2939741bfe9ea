// Profiling driver (not a benchmark): an in-process server answering { viewer } under load.
// node --import tsx tests/bench/profile-viewer.ts  (writes PROFILE, default /tmp/viewer.cpuprofile)
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTestDatabase } from '../support/database.js';
import { gql, signUpMember } from '../support/graphql.js';
import { startServer } from '../support/server.js';
import { prepareTemplates } from '../support/templates.js';

const templates = await prepareTemplates();
const database = await createTestDatabase(templates);
const server = await startServer({ database });
const member = await signUpMember(server.graphqlUrl);
const query = '{ viewer { id name } }';
const N = Number(process.env.N ?? 3000);
for (let i = 0; i < 300; i += 1) await gql(server.graphqlUrl, query, {}, { token: member.token });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < N) {
      next += 1;
      const r = await gql(server.graphqlUrl, query, {}, { token: member.token });
      if (!r.body.data?.viewer) throw new Error(JSON.stringify(r.body));
    }
  }),
);
const { profile } = await session.post('Profiler.stop');
fs.writeFileSync(process.env.PROFILE ?? '/tmp/viewer.cpuprofile', JSON.stringify(profile));
console.log(`${((N * 1000) / (performance.now() - t0)).toFixed(0)} req/s`);
await server.stop();
await database.drop();
await templates.cleanup();
