import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as server from '../../server/src/lib/time.js';
import * as web from '../../web/src/lib/time.js';
import { anyLocalArb, instantArb, localNearTransitionArb, localText, TRANSITIONS, zoneArb } from './time-cases.js';

// The web converts what a member types into an instant before it reaches the server, so the two
// modules must agree on every input: the same generated inputs go through both.

const RUNS = { numRuns: 500 };

const outcome = <T>(f: () => T): { value: T } | { error: string } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).name };
  }
};

describe('server and web time modules', () => {
  it('turn the same local times into the same instants, near transitions and anywhere', () => {
    fc.assert(
      fc.property(fc.oneof(localNearTransitionArb, anyLocalArb), ({ zone, local }) => {
        expect(web.localToInstant(local, zone).getTime()).toBe(server.localToInstant(local, zone).getTime());
        expect(web.localTimeKind(local, zone)).toBe(server.localTimeKind(local, zone));
      }),
      RUNS,
    );
  });

  it('agree minute by minute for two hours around every transition of 2026–2027', () => {
    for (const transition of TRANSITIONS) {
      for (let minutes = -120; minutes <= 120; minutes += 1) {
        const local = localText(transition.localOnset.add({ minutes }));
        expect(web.localToInstant(local, transition.zone).getTime()).toBe(
          server.localToInstant(local, transition.zone).getTime(),
        );
        expect(web.localTimeKind(local, transition.zone)).toBe(server.localTimeKind(local, transition.zone));
      }
    }
  });

  it('show the same instants as the same local times', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, zone) => {
        expect(web.instantToLocal(instant, zone)).toEqual(server.instantToLocal(instant, zone));
        expect(web.offsetMinutesAt(instant, zone)).toBe(server.offsetMinutesAt(instant, zone));
      }),
      RUNS,
    );
  });

  it('agree on malformed local times', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), zoneArb, (local, zone) => {
        expect(outcome(() => web.localToInstant(local, zone).getTime())).toEqual(
          outcome(() => server.localToInstant(local, zone).getTime()),
        );
      }),
      RUNS,
    );
  });

  it('canonicalise every zone name the same way, and list the same zones', () => {
    const names = [...Intl.supportedValuesOf('timeZone'), 'US/Eastern', 'US/Pacific', 'Asia/Calcutta', 'GMT', 'Zulu'];
    for (const name of names) {
      expect(web.canonicalTimeZone(name)).toBe(server.canonicalTimeZone(name));
      expect(web.canonicalTimeZone(name.toLowerCase())).toBe(server.canonicalTimeZone(name));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (name) => {
        expect(web.canonicalTimeZone(name)).toBe(server.canonicalTimeZone(name));
      }),
      RUNS,
    );
    expect(web.timeZoneNames()).toEqual(server.timeZoneNames());
  });

  it('accept in the server schema exactly the names the web offers', () => {
    for (const zone of web.timeZoneNames()) expect(server.timeZoneSchema.parse(zone)).toBe(zone);
  });
});
