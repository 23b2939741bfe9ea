import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db.js';
import type { PrismaClient } from '../../server/src/generated/prisma/client.js';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase } from '../support/database.js';
import type { Member, UntypedData } from '../support/graphql.js';
import { userIdOf } from '../support/groups.js';
import {
  book,
  bookSlot,
  cancelBooking,
  crowdIn,
  entryAs,
  ohMutation,
  publishOneSlot,
  wait,
} from '../support/office-hours.js';
import { spawnServer, startServer } from '../support/server.js';

// Never more bookings than seats, under concurrency: 50 members booking the last seat at once, and
// a member accepting an offered seat while others book and a seat frees — on the run's back-end in
// one server, and on PostgreSQL across two server processes (the slot's row lock is what holds it
// there: without it, this test fails). The PostgreSQL + Redis run fails, never skips, when those
// services do not answer (support/templates.ts); the two-process case is skipped on the embedded run
// only (PGlite is one process's database).

const backend = backendFromEnv();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const RACERS = 50;
const BOOKED = 'BookingPayload';

interface Arena {
  /** GraphQL URLs to spread the requests over (one per server). */
  urls: string[];
  db: PrismaClient;
  host: Member;
  crowd: Member[];
}

const bookedCount = (arena: Arena, slotId: string) =>
  arena.db.booking.count({ where: { slotId: userIdOf(slotId), status: 'BOOKED' } });

function tally(results: UntypedData[]) {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key = result.__typename === BOOKED ? BOOKED : String(result.code ?? result.__typename);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

/** Two seats, one taken: 50 members book the last one at once, spread over the servers. */
async function lastSeatRace(arena: Arena): Promise<void> {
  const [first, ...racers] = arena.crowd;
  const { slotId } = await publishOneSlot(arena.urls[0]!, arena.host, { seats: 2 });
  await book(arena.urls[0]!, first!, slotId);
  const results = await Promise.all(
    racers.slice(0, RACERS).map((who, index) => bookSlot(arena.urls[index % arena.urls.length]!, who, slotId)),
  );
  expect(tally(results)).toEqual({ [BOOKED]: 1, SLOT_FULL: RACERS - 1 });
  expect(await bookedCount(arena, slotId)).toBe(2);
}

/**
 * Two seats: a member holds an offered seat (the first attendee cancelled) and accepts it while 48
 * others book and the second attendee cancels — the offer's seat is the acceptor's alone, the seat
 * freed meanwhile goes to at most one of the others.
 */
async function acceptRace(arena: Arena): Promise<void> {
  const [ada, cy, bob, ...racers] = arena.crowd;
  const url = (index: number) => arena.urls[index % arena.urls.length]!;
  const { slotId } = await publishOneSlot(url(0), arena.host, { seats: 2, startTime: '11:00' });
  const adaBooking = await book(url(0), ada!, slotId);
  const cyBooking = await book(url(1), cy!, slotId);
  const entryId = await wait(url(0), bob!, slotId);
  // The cancellation and the bookings at once: the offer is made behind the same lock.
  const first = await Promise.all([
    cancelBooking(url(0), ada!, adaBooking),
    ...racers.slice(0, 24).map((who, index) => bookSlot(url(index + 1), who, slotId)),
  ]);
  expect(first[0]!.booking?.status).toBe('CANCELLED');
  expect(tally(first.slice(1))).toEqual({ SLOT_FULL: 24 });
  expect((await entryAs(url(0), bob!, entryId))!.status).toBe('OFFERED');

  const second = await Promise.all([
    ohMutation(url(1), bob!, 'acceptWaitlistOffer', { entryId }, `... on BookingPayload { booking { id status } }`),
    cancelBooking(url(0), cy!, cyBooking),
    ...racers.slice(24, 48).map((who, index) => bookSlot(url(index), who, slotId)),
  ]);
  expect(second[0]!.__typename, JSON.stringify(second[0])).toBe(BOOKED);
  expect(second[1]!.booking?.status).toBe('CANCELLED');
  const others = tally(second.slice(2));
  expect(others[BOOKED] ?? 0).toBeLessThanOrEqual(1);
  expect((others[BOOKED] ?? 0) + (others.SLOT_FULL ?? 0)).toBe(24);
  const booked = await bookedCount(arena, slotId);
  expect(booked).toBe(1 + (others[BOOKED] ?? 0));
  expect(booked).toBeLessThanOrEqual(2);
  expect((await entryAs(url(0), bob!, entryId))!.status).toBe('CONFIRMED');
}

describe('on one server (the run’s back-end)', () => {
  async function arena(): Promise<Arena> {
    const server = await startServer();
    cleanups.push(() => server.stop());
    const [host, ...crowd] = await crowdIn(server.app.services.db, RACERS + 2);
    return { urls: [server.graphqlUrl], db: server.app.services.db, host: host!, crowd };
  }

  it('50 concurrent bookings of the last seat: exactly one', async () => {
    await lastSeatRace(await arena());
  });

  it('accepting an offer while others book and a seat frees: never more than the seats', async () => {
    await acceptRace(await arena());
  });
});

describe.runIf(backend.kind === 'scale-out')('across two server processes on PostgreSQL', () => {
  async function arena(): Promise<Arena> {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const opened = await openDatabase({ DATA_DIR: '', DATABASE_URL: database.env.DATABASE_URL });
    cleanups.push(() => opened.close());
    const [host, ...crowd] = await crowdIn(opened.prisma, RACERS + 2);
    const servers = await Promise.all([spawnServer(database.env), spawnServer(database.env)]);
    for (const server of servers) cleanups.push(() => server.stop());
    return { urls: servers.map((server) => server.graphqlUrl), db: opened.prisma, host: host!, crowd };
  }

  it('50 concurrent bookings of the last seat: exactly one', async () => {
    await lastSeatRace(await arena());
  }, 120_000);

  it('accepting an offer while others book and a seat frees: never more than the seats', async () => {
    await acceptRace(await arena());
  }, 120_000);
});
