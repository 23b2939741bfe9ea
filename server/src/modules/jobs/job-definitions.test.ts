import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backoffDelayMs, defineJob, jobDefinition } from './job-definitions.js';

const payload = z.object({});
const run = async () => {};

describe('backoffDelayMs', () => {
  const backoff = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles from the base, with up to 25 % jitter on top', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(backoff, attempt, () => 0))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(backoffDelayMs(backoff, 1, () => 1)).toBe(1_250);
  });

  it('grows with every attempt whatever the jitter, until the cap', () => {
    for (let attempt = 1; attempt < 6; attempt++) {
      const longestNow = backoffDelayMs(backoff, attempt, () => 0.999);
      const shortestNext = backoffDelayMs(backoff, attempt + 1, () => 0);
      expect(shortestNext).toBeGreaterThan(longestNow);
    }
    expect(backoffDelayMs(backoff, 30, () => 0)).toBe(60_000);
    expect(backoffDelayMs(backoff, 30, () => 1)).toBe(75_000);
  });
});

describe('defineJob', () => {
  it('registers a kind once, with defaults, for the runner to look up', () => {
    const job = defineJob('unit.registered', { payload, run });
    expect(jobDefinition('unit.registered')).toBe(job);
    expect(job).toMatchObject({ mode: 'transaction', maxAttempts: 5, backoff: { baseMs: 5_000 } });
    expect(() => defineJob('unit.registered', { payload, run })).toThrow('defined twice');
  });

  it('refuses names and settings that cannot work', () => {
    expect(() => defineJob('has space', { payload, run })).toThrow('must be a name');
    expect(() => defineJob('unit.no-attempts', { payload, run, maxAttempts: 0 })).toThrow('maxAttempts');
    // A zero backoff would make a failing job due again at once, over and over.
    expect(() => defineJob('unit.no-backoff', { payload, run, backoff: { baseMs: 0 } })).toThrow('backoff');
    expect(() => defineJob('unit.cap-below-base', { payload, run, backoff: { baseMs: 10, maxMs: 5 } })).toThrow(
      'backoff',
    );
    expect(jobDefinition('unit.no-backoff')).toBeUndefined();
  });
});
