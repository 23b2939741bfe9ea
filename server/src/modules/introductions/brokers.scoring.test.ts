import { describe, expect, it } from 'vitest';
import type { Link, SharedGroup } from './introductions.policy.js';
import { type BrokerCandidate, groupStrength, rankBrokers, scoreBroker, whenInWords } from './brokers.scoring.js';

const NOW = new Date('2027-03-10T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

function group(overrides: Partial<SharedGroup> = {}): SharedGroup {
  return {
    id: overrides.name ?? 'g',
    name: 'Berlin Tech Association',
    kind: 'COMMUNITY',
    cohort: null,
    institution: null,
    graduationYear: null,
    parentId: null,
    memberCount: 200,
    ...overrides,
  };
}
const COHORT = group({
  name: 'Launchpad · Autumn 2024 cohort',
  kind: 'ALUMNI',
  cohort: 'Autumn 2024',
  institution: 'Launchpad',
  parentId: 'launchpad',
  memberCount: 12,
});

function link(overrides: Partial<Link> = {}): Link {
  return { groups: [], mentorship: null, lastDirectMessageAt: null, ...overrides };
}
function candidate(
  id: string,
  requester: Partial<Link>,
  target: Partial<Link>,
  connectedIntroductions = 0,
): BrokerCandidate {
  return { id, name: id, links: { requester: link(requester), target: link(target) }, connectedIntroductions };
}

describe('the reasons in words', () => {
  it('says who mentors whom on the requester’s side; about the target only that the broker knows them (their mentorship is theirs)', () => {
    expect(
      scoreBroker(candidate('b', { mentorship: 'MENTORS_THEM' }, { mentorship: 'MENTORS_THEM' }), 'Mira Novak', NOW)
        .reasons,
    ).toEqual(['mentors you', 'knows Mira Novak personally']);
    expect(
      scoreBroker(
        candidate('b', { mentorship: 'MENTORED_BY_THEM' }, { mentorship: 'MENTORED_BY_THEM' }),
        'Mira Novak',
        NOW,
      ).reasons,
    ).toEqual(['you mentor them', 'knows Mira Novak personally']);
  });

  it('names an alumni cohort as a cohort, any other group by its name', () => {
    expect(scoreBroker(candidate('b', { groups: [COHORT] }, { groups: [group()] }), 'Mira Novak', NOW).reasons).toEqual(
      ['you were both in the Autumn 2024 cohort of Launchpad', 'is in Berlin Tech Association with Mira Novak'],
    );
    expect(scoreBroker(candidate('b', { groups: [group()] }, { groups: [COHORT] }), 'Mira Novak', NOW).reasons).toEqual(
      ['was in the Autumn 2024 cohort of Launchpad with Mira Novak', 'you are both in Berlin Tech Association'],
    );
  });

  it('names only the strongest shared group of a side: the small one over the large one', () => {
    const small = group({ name: 'Rust Reading Circle', memberCount: 6 });
    const { reasons } = scoreBroker(
      candidate('b', { groups: [group(), small] }, { mentorship: 'MENTORS_THEM' }),
      'T',
      NOW,
    );
    expect(reasons).toEqual(['knows T personally', 'you are both in Rust Reading Circle']);
  });

  it('says when the requester last talked with them, in days and weeks; of the target only that the broker knows them', () => {
    expect(
      scoreBroker(
        candidate(
          'b',
          { lastDirectMessageAt: daysAgo(1) },
          { lastDirectMessageAt: daysAgo(8), mentorship: 'MENTORS_THEM' },
        ),
        'Mira Novak',
        NOW,
      ).reasons,
    ).toEqual(['knows Mira Novak personally', 'talked with you yesterday']);
  });

  it('counts the introductions that connected', () => {
    expect(scoreBroker(candidate('b', { groups: [group()] }, { groups: [group()] }, 1), 'T', NOW).reasons).toContain(
      'made an introduction that connected',
    );
    expect(scoreBroker(candidate('b', { groups: [group()] }, { groups: [group()] }, 3), 'T', NOW).reasons).toContain(
      'made 3 introductions that connected',
    );
  });

  it('puts a time into words', () => {
    expect(whenInWords(new Date('2027-03-10T01:00:00Z'), NOW)).toBe('today');
    expect(whenInWords(new Date('2027-03-09T23:00:00Z'), NOW)).toBe('yesterday');
    expect(whenInWords(daysAgo(3), NOW)).toBe('3 days ago');
    expect(whenInWords(daysAgo(7), NOW)).toBe('last week');
    expect(whenInWords(daysAgo(13), NOW)).toBe('last week');
    expect(whenInWords(daysAgo(21), NOW)).toBe('3 weeks ago');
    expect(whenInWords(daysAgo(90), NOW)).toBe('3 months ago');
    expect(whenInWords(daysAgo(400), NOW)).toBe('over a year ago');
  });
});

describe('the ranking', () => {
  it('ranks a mentorship above a shared large group', () => {
    const ranked = rankBrokers(
      [
        candidate('group', { groups: [group()] }, { groups: [group()] }),
        candidate('mentor', { mentorship: 'MENTORS_THEM' }, { groups: [group()] }),
      ],
      'T',
      NOW,
      10,
    );
    expect(ranked.map((broker) => broker.id)).toEqual(['mentor', 'group']);
  });

  it('ranks a small group, a chapter and a cohort above a large group', () => {
    expect(groupStrength({ memberCount: 8, parentId: null, kind: 'COMMUNITY', cohort: null })).toBeGreaterThan(
      groupStrength({ memberCount: 300, parentId: null, kind: 'COMMUNITY', cohort: null }),
    );
    expect(groupStrength({ memberCount: 40, parentId: 'p', kind: 'COMMUNITY', cohort: null })).toBeGreaterThan(
      groupStrength({ memberCount: 40, parentId: null, kind: 'COMMUNITY', cohort: null }),
    );
    expect(groupStrength({ memberCount: 40, parentId: 'p', kind: 'ALUMNI', cohort: 'Spring 2023' })).toBeGreaterThan(
      groupStrength({ memberCount: 40, parentId: 'p', kind: 'ALUMNI', cohort: null }),
    );
    const ranked = rankBrokers(
      [
        candidate('large', { groups: [group()] }, { groups: [group()] }),
        candidate('cohort', { groups: [COHORT] }, { groups: [group()] }),
      ],
      'T',
      NOW,
      10,
    );
    expect(ranked.map((broker) => broker.id)).toEqual(['cohort', 'large']);
  });

  it('ranks a recent conversation above an old one, and it fades but never goes negative', () => {
    const ranked = rankBrokers(
      [
        candidate('old', { lastDirectMessageAt: daysAgo(200) }, { groups: [group()] }),
        candidate('recent', { lastDirectMessageAt: daysAgo(2) }, { groups: [group()] }),
      ],
      'T',
      NOW,
      10,
    );
    expect(ranked.map((broker) => broker.id)).toEqual(['recent', 'old']);
    expect(ranked[1]!.score).toBeGreaterThan(0);
  });

  it('lifts a broker whose past introductions connected, with a ceiling', () => {
    const base = { groups: [group()] };
    const none = scoreBroker(candidate('b', base, base, 0), 'T', NOW).score;
    const four = scoreBroker(candidate('b', base, base, 4), 'T', NOW).score;
    const forty = scoreBroker(candidate('b', base, base, 40), 'T', NOW).score;
    expect(four).toBeGreaterThan(none);
    expect(forty).toBe(four);
  });

  it('breaks ties by name and keeps at most the limit', () => {
    const same = { groups: [group()] };
    const ranked = rankBrokers(
      [candidate('Chen', same, same), candidate('Ada', same, same), candidate('Bo', same, same)],
      'T',
      NOW,
      2,
    );
    expect(ranked.map((broker) => broker.id)).toEqual(['Ada', 'Bo']);
  });
});
