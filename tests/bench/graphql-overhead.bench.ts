import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gql, signUpMember } from '../support/graphql.js';
import { createTestDatabase } from '../support/database.js';
import { startServer } from '../support/server.js';
import type { Benchmark, BenchContext } from './registry.js';
import { ms, summarise } from './stats.js';

// The cost of one authenticated GraphQL request (session lookup + Yoga + Pothos + Prisma)
// against the ceiling of a bare node:http JSON answer, measured in the same run.

const REQUESTS = 2_000;
/** Guildhall's requests per second with 8 in flight, as a share of the bare server's (issue 13). */
const FLOOR = 0.3;

// Latency is measured one request at a time; throughput with 8 in flight. Client and server share
// this process (and its one thread), so both figures include the client's own cost: the client
// sends both servers the very same request (POST, headers, body) and reads both answers the same
// way (gql: text, then JSON.parse), and the bare server reads the whole body before it answers, so
// the client's share is equal on both sides and the difference is the server's.
async function load(send: () => Promise<unknown>, CONCURRENCY: number) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t0 = performance.now();
        await send();
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarise(samples), perSecond: REQUESTS / seconds };
}

export const graphqlOverheadBenchmark: Benchmark = {
  name: 'graphql-overhead',
  description: `${REQUESTS} authenticated { viewer } requests (1 and 8 in flight) vs a bare node:http ceiling`,
  run: async ({ templates }: BenchContext) => {
    const raw = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"viewer":{"id":"x","name":"y"}}}');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/graphql`;

    const database = await createTestDatabase(templates);
    const server = await startServer({ database });
    try {
      const member = await signUpMember(server.graphqlUrl);
      const query = '{ viewer { id name } }';
      // Warm both paths (JIT, prepared statements, connection pools).
      const send = (url: string) => async () => {
        const { status, body } = await gql(url, query, {}, { token: member.token });
        if (status !== 200 || !body.data?.viewer)
          throw new Error(`unexpected answer ${status}: ${JSON.stringify(body)}`);
      };
      const rawSend = send(rawUrl);
      const graphqlSend = send(server.graphqlUrl);
      for (let i = 0; i < 200; i += 1) {
        await graphqlSend();
        await rawSend();
      }
      const ceiling = await load(rawSend, 1);
      const graphql = await load(graphqlSend, 1);
      const ceilingBusy = await load(rawSend, 8);
      const graphqlBusy = await load(graphqlSend, 8);
      const ratio = graphqlBusy.perSecond / ceilingBusy.perSecond;
      return {
        lines: [
          `bare node:http  p50 ${ms(ceiling.p50)}  p99 ${ms(ceiling.p99)}  ${ceilingBusy.perSecond.toFixed(0)} req/s with 8 in flight (ceiling)`,
          `GraphQL viewer  p50 ${ms(graphql.p50)}  p99 ${ms(graphql.p99)}  ${graphqlBusy.perSecond.toFixed(0)} req/s with 8 in flight`,
          `ratio ${ratio.toFixed(2)}× of the bare server (floor ${FLOOR}×)`,
          `database: ${server.app.database.kind}`,
        ],
        targets: [
          {
            text: `requests/s with 8 in flight ≥ ${FLOOR}× bare node:http (was ${ratio.toFixed(2)}×: ${graphqlBusy.perSecond.toFixed(0)} vs ${ceilingBusy.perSecond.toFixed(0)})`,
            met: ratio >= FLOOR,
          },
          { text: `authenticated viewer p99 ≤ 50 ms (was ${ms(graphql.p99)})`, met: graphql.p99 <= 50 },
        ],
      };
    } finally {
      await server.stop();
      await database.drop();
      raw.close();
    }
  },
};
