import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Member, signUpMember } from '../support/graphql.js';
import { book, localDateIn, ohQuery, publishOfficeHours, SLOT_FIELDS, wait } from '../support/office-hours.js';
import { trackInProcessServer } from '../support/sign-up.js';

// A series' slots load their seats and each viewer's fields (own booking and place in line, the
// host's bookings and line, attendees, place and link) with the list: the number of SQL statements
// does not grow with the slots, for an attendee, a waiting member and the host alike.

let app: App;
let database: TestDatabase;
let url: string;
let untrack = () => {};
const statements: string[] = [];
let host: Member;
let attendee: Member;
let waiting: Member;
const series = new Map<number, string>();

const SLOTS = /* GraphQL */ `
  query ($id: ID!) { node(id: $id) { ... on OfficeHours { nextSlots(first: 20) { ${SLOT_FIELDS} } } } }
`;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = loadEnv({
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'never',
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MUTATIONS_MAX_PER_MINUTE: '1000000',
    // The job runner's polls would be counted with the statements of the requests under test.
    JOBS_ENABLED: 'false',
    ...database.env,
  });
  // The viewer's session is read or not depending on the session cache (10 s): not what is counted here.
  app = await buildApp(env, { onQuery: (sql) => void (sql.includes('"Session"') || statements.push(sql)) });
  await app.start();
  untrack = trackInProcessServer(app);
  url = `${app.url}/graphql`;
  [host, attendee, waiting] = [
    await signUpMember(url, { name: 'Counting Host' }),
    await signUpMember(url, { name: 'Counting Attendee' }),
    await signUpMember(url, { name: 'Counting Waiter' }),
  ];
  const startDate = localDateIn(3);
  const weekday = Temporal.PlainDate.from(startDate).toLocaleString('en-US', { weekday: 'long' }).toUpperCase();
  for (const [index, count] of [2, 8].entries()) {
    const published = await publishOfficeHours(url, host, {
      seats: 1,
      startDate,
      startTime: index === 0 ? '08:00' : '12:00',
      recurrence: { everyWeeks: 1, weekdays: [weekday], occurrenceCount: count },
    });
    expect(published.slots).toHaveLength(count);
    series.set(count, published.id);
    for (const slotId of published.slots) {
      await book(url, attendee, slotId, 'mine');
      await wait(url, waiting, slotId, 'waiting');
    }
  }
}, 240_000);

afterAll(async () => {
  untrack();
  await app?.stop();
  await database?.drop();
});

async function slotsFor(who: Member, count: number) {
  statements.length = 0;
  const data = await ohQuery(url, who, SLOTS, { id: series.get(count) });
  return { slots: data.node.nextSlots as Array<Record<string, unknown>>, statements: statements.length };
}

describe('a series’ slots', () => {
  it('run the same number of SQL statements for 2 and for 8 slots, for the attendee, a waiting member and the host', async () => {
    for (const who of [attendee, waiting, host]) {
      const small = await slotsFor(who, 2);
      const large = await slotsFor(who, 8);
      expect(large.slots).toHaveLength(8);
      expect(large.statements, `${who.name}: ${small.statements} statements for 2 slots`).toBe(small.statements);
    }
    const mine = await slotsFor(attendee, 8);
    for (const slot of mine.slots) {
      expect(slot).toMatchObject({ seatsTaken: 1, state: 'FULL', viewerBooking: { question: 'mine' }, bookings: [] });
    }
    const line = await slotsFor(waiting, 8);
    for (const slot of line.slots) {
      expect(slot).toMatchObject({ viewerBooking: null, viewerWaitlistEntry: { position: 1 }, onlineUrl: null });
    }
    const hosted = await slotsFor(host, 8);
    for (const slot of hosted.slots) {
      expect(slot).toMatchObject({ bookings: [{ question: 'mine' }], waitlist: [{ question: 'waiting' }] });
    }
  });
});
