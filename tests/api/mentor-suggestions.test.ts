import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { sharedMinutesThisWeek } from '../../server/src/modules/mentorship/suggestions.hours.js';
import { applyTopFairness, type Scored } from '../../server/src/modules/mentorship/suggestions.scoring.js';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { personId, userIdOf } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// Matching people can understand, on fixtures: members with known needs and mentor profiles, and
// "these are the top three, in this order, for these reasons" (exact words); every rule of "never
// suggested"; the filters, only by what the mentee may see; fairness (a mentor with room for 1
// is the top suggestion of one mentee at a time); shared working time in real zones, DST included;
// matching within a program group; its admins see (never change) a member's suggestions.

const SUGGESTIONS = /* GraphQL */ `
  query ($groupId: ID, $first: Int, $filter: MentorSuggestionFilter) {
    mentorSuggestions(groupId: $groupId, first: $first, filter: $filter) {
      score
      mentor { id name }
      mentorProfile { id capacity languages }
      reasons { kind text }
    }
  }
`;
const ADMIN_VIEW = /* GraphQL */ `
  query ($slug: String!, $memberId: ID!) {
    group(slug: $slug) { mentorSuggestionsFor(memberId: $memberId) { score mentor { name } reasons { kind text } } }
  }
`;
const SAVE_MENTOR = /* GraphQL */ `
  mutation ($input: SaveMentorProfileInput!) {
    saveMentorProfile(input: $input) { __typename ... on Error { code message } }
  }
`;
const SAVE_NEEDS = /* GraphQL */ `
  mutation ($input: SaveMenteeNeedsInput!) {
    saveMenteeNeeds(input: $input) {
      __typename
      ... on SaveMenteeNeedsPayload { menteeNeeds { languages } }
      ... on Error { code message }
    }
  }
`;

// A Monday in January: Berlin, Lisbon and New York all on winter time for the whole coming week.
const NOW = Date.parse('2026-01-12T06:00:00Z');

let server: TestServer;
const tag = randomBytes(3).toString('hex');
const db = () => server.app.services.db;

async function run(who: Member | null, query: string, variables: Record<string, unknown> = {}) {
  const response = await gql(server.graphqlUrl, query, variables, who ? { token: who.token } : {});
  return response.body;
}

async function member(name: string): Promise<Member> {
  return signUpMember(server.graphqlUrl, { name: `${name} ${tag}` });
}

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'] as const;
const hours = (start: string, end: string, days: readonly string[] = WEEKDAYS) =>
  days.map((weekday) => ({ weekday, start, end }));

interface MentorInput {
  expertise: Array<{ name: string; level: 'LEARNING' | 'WORKING' | 'EXPERT' }>;
  helpOffered?: string[];
  capacity?: number;
  accepting?: boolean;
  formats?: string[];
  cadences?: string[];
  timeZone?: string;
  weeklyHours?: Array<{ weekday: string; start: string; end: string }>;
  languages?: string[];
  askScope?: 'EVERYONE' | 'CHOSEN_GROUPS';
  askGroupIds?: string[];
  visibility?: Record<string, string>;
}

async function offer(who: Member, input: MentorInput) {
  const body = await run(who, SAVE_MENTOR, {
    input: {
      helpOffered: [],
      capacity: 2,
      formats: [],
      cadences: [],
      timeZone: 'UTC',
      weeklyHours: [],
      languages: [],
      askScope: 'EVERYONE',
      ...input,
    },
  });
  expect(body.errors).toBeUndefined();
  expect(body.data!.saveMentorProfile.__typename).toBe('SaveMentorProfilePayload');
}

async function mentor(name: string, input: MentorInput): Promise<Member> {
  const who = await member(name);
  await offer(who, input);
  return who;
}

const NEEDS = {
  skills: [
    { name: 'TypeScript', currentLevel: 'WORKING', wantedLevel: 'EXPERT' },
    { name: 'React', wantedLevel: 'WORKING' },
    { name: 'PostgreSQL', currentLevel: 'LEARNING', wantedLevel: 'WORKING' },
    { name: 'Kubernetes', wantedLevel: 'WORKING' },
  ],
  goals: 'Lead the frontend of my team within a year.',
  helpWanted: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
  formats: ['VIDEO', 'CHAT'],
  cadence: 'BIWEEKLY',
  timeZone: 'Europe/Berlin',
  weeklyHours: hours('17:00', '19:00'),
  languages: ['pt-BR'],
};

async function needs(who: Member, input: Record<string, unknown> = NEEDS) {
  const body = await run(who, SAVE_NEEDS, { input });
  expect(body.errors).toBeUndefined();
  expect(body.data!.saveMenteeNeeds.__typename).toBe('SaveMenteeNeedsPayload');
  return body.data!.saveMenteeNeeds.menteeNeeds;
}

async function group(name: string, kind: 'COMMUNITY' | 'ALUMNI' | 'PROGRAM', people: Array<[Member, string?]>) {
  const row = await db().group.create({
    data: { name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${tag}`, kind, visibility: 'PUBLIC' },
  });
  await db().membership.createMany({
    data: people.map(([who, role]) => ({
      groupId: row.id,
      userId: userIdOf(who.id),
      role: (role ?? 'MEMBER') as 'OWNER' | 'ADMIN' | 'MEMBER',
    })),
  });
  return { id: row.id, globalId: Buffer.from(`Group:${row.id}`).toString('base64'), slug: row.slug };
}

async function mentorship(mentorMember: Member, menteeMember: Member, status: 'ACTIVE' | 'ENDED') {
  return db().mentorship.create({
    data: {
      mentorId: userIdOf(mentorMember.id),
      menteeId: userIdOf(menteeMember.id),
      conversationId: randomUUID(),
      status,
      ...(status === 'ENDED' ? { endedAt: new Date(NOW - 86_400_000) } : {}),
    },
  });
}

async function request(
  mentorMember: Member,
  menteeMember: Member,
  status: 'PENDING' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN',
) {
  await db().mentorshipRequest.create({
    data: {
      mentorId: userIdOf(mentorMember.id),
      menteeId: userIdOf(menteeMember.id),
      message: 'Would you mentor me?',
      goals: 'Grow.',
      status,
      expiresAt: new Date(NOW + 14 * 86_400_000),
    },
  });
}

async function suggestions(who: Member, variables: Record<string, unknown> = {}) {
  const body = await run(who, SUGGESTIONS, { first: 20, ...variables });
  expect(body.errors).toBeUndefined();
  return body.data!.mentorSuggestions as Array<{
    score: number;
    mentor: { id: string; name: string };
    mentorProfile: { capacity: number | null; languages: string[] | null };
    reasons: Array<{ kind: string; text: string }>;
  }>;
}
const names = (list: Array<{ mentor: { name: string } }>) =>
  list.map((entry) => entry.mentor.name.replace(` ${tag}`, ''));
const texts = (entry: { reasons: Array<{ text: string }> }) => entry.reasons.map((reason) => reason.text);

let mia: Member;
let alice: Member;
let bruno: Member;
let chen: Member;
let dana: Member;
let acme: { id: string; globalId: string; slug: string };
let launchpad: { id: string; globalId: string; slug: string };
let olga: Member;
let programMember: Member;
let programAdmin: Member;

beforeAll(async () => {
  server = await startServer();
  setClockOffset(NOW - Date.now());

  mia = await member('Mia');
  await needs(mia);
  // Mia mentors too: never her own suggestion.
  await offer(mia, { expertise: [{ name: 'TypeScript', level: 'EXPERT' }] });

  alice = await mentor('Alice', {
    expertise: [
      { name: 'TypeScript', level: 'EXPERT' },
      { name: 'React', level: 'EXPERT' },
      { name: 'PostgreSQL', level: 'WORKING' },
    ],
    helpOffered: ['TECHNICAL_SKILLS'],
    capacity: 2,
    formats: ['VIDEO'],
    cadences: ['WEEKLY', 'BIWEEKLY'],
    timeZone: 'Europe/Lisbon',
    // 16:00–18:00 in Lisbon is 17:00–19:00 in Berlin: 2 h a day, four days.
    weeklyHours: hours('16:00', '18:00'),
    languages: ['pt-PT', 'en'],
  });
  bruno = await mentor('Bruno', {
    expertise: [
      { name: 'TypeScript', level: 'EXPERT' },
      { name: 'Kubernetes', level: 'EXPERT' },
    ],
    helpOffered: ['CAREER_GUIDANCE', 'TECHNICAL_SKILLS'],
    capacity: 1,
    formats: ['CHAT', 'PHONE'],
    cadences: ['MONTHLY'],
    timeZone: 'America/New_York',
    // 12:00–13:00 in New York (EST) is 18:00–19:00 in Berlin (CET): 1 h a day.
    weeklyHours: hours('12:00', '13:00', [...WEEKDAYS, 'FRIDAY']),
    languages: ['en'],
  });
  chen = await mentor('Chen', {
    expertise: [
      { name: 'PostgreSQL', level: 'EXPERT' },
      { name: 'React', level: 'WORKING' },
    ],
    helpOffered: ['CAREER_GUIDANCE'],
    capacity: 3,
    formats: ['IN_PERSON', 'VIDEO'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Europe/Berlin',
    languages: ['de', 'pt'],
  });
  dana = await mentor('Dana', {
    expertise: [{ name: 'Kubernetes', level: 'WORKING' }],
    helpOffered: ['NETWORKING'],
    capacity: 1,
    // Portuguese, but only Dana sees it: neither a reason nor found by the language filter.
    languages: ['pt'],
    visibility: { languages: 'ONLY_ME' },
  });

  launchpad = await group('Launchpad', 'ALUMNI', [[mia, 'OWNER'], [alice]]);
  await group('Rustaceans', 'COMMUNITY', [[chen, 'OWNER'], [mia]]);
  olga = await member('Olga');
  programMember = await member('Pat');
  programAdmin = await member('Adam');
  acme = await group('Acme Mentoring', 'PROGRAM', [
    [olga, 'OWNER'],
    [mia],
    [chen],
    [programMember],
    [programAdmin, 'ADMIN'],
  ]);

  // Chen has one mentee already (room for 2 more of 3).
  await mentorship(chen, await member('Earlier mentee'), 'ACTIVE');
  // Bruno's past mentee rated their check-ins 5 and would recommend him.
  const past = await member('Past mentee');
  const ended = await mentorship(bruno, past, 'ENDED');
  const checkIn = await db().checkIn.create({
    data: { mentorshipId: ended.id, heldAt: new Date(NOW - 10 * 86_400_000) },
  });
  await db().checkInFeedback.create({
    data: { checkInId: checkIn.id, authorId: userIdOf(past.id), rating: 5, pairingWorking: true },
  });
  // The mentor's own rating of the check-in is not the mentees' feedback.
  await db().checkInFeedback.create({
    data: { checkInId: checkIn.id, authorId: userIdOf(bruno.id), rating: 1, pairingWorking: true },
  });
  await db().mentorshipReview.create({
    data: {
      mentorshipId: ended.id,
      authorId: userIdOf(past.id),
      wentWell: 'Clear advice.',
      outcome: 'GOALS_MET',
      wouldRecommend: true,
    },
  });
});

afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

describe('mentorSuggestions on fixtures', () => {
  it('gives the top three in order, each with its reasons in words', async () => {
    const list = await suggestions(mia);
    expect(names(list).slice(0, 4)).toEqual(['Alice', 'Bruno', 'Chen', 'Dana']);
    const [first, second, third, fourth] = list;
    expect(texts(first!)).toEqual([
      '3 of your 4 skills, 2 at expert level',
      'offers technical skills',
      'both alumni of Launchpad',
      '8 h of shared working time a week',
      'meets by video call',
      'meets every two weeks, as you asked',
      'speaks Portuguese',
      'has room for 2 more mentees',
    ]);
    expect(texts(second!)).toEqual([
      '2 of your 4 skills, 2 at expert level',
      'offers technical skills and career guidance',
      '4 h of shared working time a week',
      'meets by chat',
      'has room for 1 more mentee',
      'mentees rate their check-ins 5.0 of 5',
      '1 of 1 former mentee would recommend them',
    ]);
    expect(texts(third!)).toEqual([
      '2 of your 4 skills, 1 at expert level',
      'offers career guidance',
      'both in the program Acme Mentoring',
      'both members of Rustaceans',
      'meets by video call',
      'meets every two weeks, as you asked',
      'speaks Portuguese',
      'has room for 2 more mentees',
    ]);
    expect(texts(fourth!)).toEqual(['1 of your 4 skills', 'has room for 1 more mentee']);
    expect(list.map((entry) => entry.score).slice(0, 4)).toEqual([75.33, 63.33, 56.67, 14.67]);
    expect(first!.reasons.map((reason) => reason.kind)).toEqual([
      'SKILLS',
      'HELP',
      'SHARED_GROUP',
      'HOURS',
      'FORMAT',
      'CADENCE',
      'LANGUAGE',
      'CAPACITY',
    ]);
    // The same facts, the same answer.
    expect(await suggestions(mia)).toEqual(list);
  });

  it('hides what the mentor hides: no reason and no filter by a field the mentee may not see', async () => {
    const list = await suggestions(mia);
    const danaEntry = list.find((entry) => entry.mentor.id === personId(dana))!;
    expect(danaEntry.mentorProfile.languages).toBeNull();
    expect(texts(danaEntry).some((text) => text.startsWith('speaks'))).toBe(false);
    expect(names(await suggestions(mia, { filter: { language: 'pt' } }))).toEqual(['Alice', 'Chen']);
  });

  it('filters by help, format, language and skill', async () => {
    expect(names(await suggestions(mia, { filter: { helpKind: 'CAREER_GUIDANCE' } }))).toEqual(['Bruno', 'Chen']);
    expect(names(await suggestions(mia, { filter: { format: 'CHAT' } }))).toEqual(['Bruno']);
    expect(names(await suggestions(mia, { filter: { language: 'en-GB' } }))).toEqual(['Alice', 'Bruno']);
    expect(names(await suggestions(mia, { filter: { skill: 'kubernetes' } }))).toEqual(['Bruno', 'Dana']);
    const bad = await run(mia, SUGGESTIONS, { filter: { language: 'not a language!' } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('suggests nobody until the member says what they look for', async () => {
    const newcomer = await member('Newcomer');
    expect(await suggestions(newcomer)).toEqual([]);
    const signedOut = await run(null, SUGGESTIONS);
    expect(signedOut.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('saves the languages a mentee can be mentored in', async () => {
    const who = await member('Lang');
    expect((await needs(who, { ...NEEDS, languages: ['PT-br', 'en', 'en'] })).languages).toEqual(['pt-BR', 'en']);
    // A client that does not send languages keeps what was saved.
    const { languages: _omitted, ...rest } = NEEDS;
    expect((await needs(who, rest)).languages).toEqual(['pt-BR', 'en']);
  });
});

describe('never suggested', () => {
  it('leaves out the mentee, paused and full mentors, open or closed requests and mentorships, blocks, closed ask scopes and hidden profiles', async () => {
    const mentee = await member('Nina');
    await needs(mentee, { ...NEEDS, skills: [{ name: 'Elixir', wantedLevel: 'EXPERT' }] });
    const elixir = { expertise: [{ name: 'Elixir', level: 'EXPERT' as const }] };
    await offer(mentee, elixir);
    await mentor('Okay', elixir);
    await mentor('Paused', { ...elixir, accepting: false });
    const full = await mentor('Full', { ...elixir, capacity: 1 });
    await mentorship(full, await member('Full mentee'), 'ACTIVE');
    const pending = await mentor('Pending', elixir);
    await request(pending, mentee, 'PENDING');
    const declined = await mentor('Declined', elixir);
    await request(declined, mentee, 'DECLINED');
    const expired = await mentor('Expired', elixir);
    await request(expired, mentee, 'EXPIRED');
    const withdrawn = await mentor('Withdrawn', elixir);
    await request(withdrawn, mentee, 'WITHDRAWN');
    const active = await mentor('Active', { ...elixir, capacity: 3 });
    await mentorship(active, mentee, 'ACTIVE');
    const ended = await mentor('Ended', elixir);
    await mentorship(ended, mentee, 'ENDED');
    const blocker = await mentor('Blocker', elixir);
    await db().memberBlock.create({ data: { blockerId: userIdOf(blocker.id), blockedId: userIdOf(mentee.id) } });
    const blocked = await mentor('Blocked', elixir);
    await db().memberBlock.create({ data: { blockerId: userIdOf(mentee.id), blockedId: userIdOf(blocked.id) } });
    const hidden = await mentor('Hidden', elixir);
    await db().user.update({ where: { id: userIdOf(hidden.id) }, data: { profileHiddenAt: new Date(NOW) } });
    const suspended = await mentor('Suspended', elixir);
    await db().user.update({ where: { id: userIdOf(suspended.id) }, data: { suspendedAt: new Date(NOW) } });
    const closed = await member('Closed');
    const closedGroup = await group('Closed circle', 'COMMUNITY', [[closed, 'OWNER']]);
    await offer(closed, { ...elixir, askScope: 'CHOSEN_GROUPS', askGroupIds: [closedGroup.globalId] });
    const open = await member('Open');
    const openGroup = await group('Open circle', 'COMMUNITY', [[open, 'OWNER'], [mentee]]);
    await offer(open, { ...elixir, askScope: 'CHOSEN_GROUPS', askGroupIds: [openGroup.globalId] });

    const list = await suggestions(mentee, { filter: { skill: 'Elixir' } });
    expect(names(list).sort()).toEqual(['Okay', 'Open', 'Withdrawn']);
  });
});

describe('fairness', () => {
  it('shows a mentor with room for 1 first to one of three similar mentees at a time', async () => {
    const popular = await mentor('Popular', {
      expertise: [{ name: 'Haskell', level: 'EXPERT' }],
      capacity: 1,
      helpOffered: ['TECHNICAL_SKILLS'],
    });
    // Second has room for 2: it can be the top suggestion of two mentees at once.
    const second = await mentor('Second', { expertise: [{ name: 'Haskell', level: 'WORKING' }], capacity: 2 });
    const mentees = [await member('M1'), await member('M2'), await member('M3')];
    const circle = await group('Haskell circle', 'PROGRAM', [
      [popular, 'OWNER'],
      [second],
      ...mentees.map((m): [Member] => [m]),
    ]);
    for (const mentee of mentees) {
      await needs(mentee, {
        ...NEEDS,
        skills: [{ name: 'Haskell', wantedLevel: 'EXPERT' }],
        helpWanted: ['TECHNICAL_SKILLS'],
      });
    }
    const seen = [];
    for (const mentee of mentees) seen.push(names(await suggestions(mentee, { groupId: circle.globalId })));
    // Popular scores higher for all three; only the first to look sees Popular first.
    expect(seen).toEqual([
      ['Popular', 'Second'],
      ['Second', 'Popular'],
      ['Second', 'Popular'],
    ]);
    // M1 looking again keeps Popular first (their own hold).
    expect(names(await suggestions(mentees[0]!, { groupId: circle.globalId }))).toEqual(['Popular', 'Second']);
    expect(await db().mentorTopSuggestion.count({ where: { mentorId: userIdOf(popular.id) } })).toBe(1);
    expect(await db().mentorTopSuggestion.count({ where: { mentorId: userIdOf(second.id) } })).toBe(2);
    // When M1's hold is older than the window, M2 gets Popular first.
    setClockOffset(NOW + 49 * 3600_000 - Date.now());
    try {
      expect(names(await suggestions(mentees[1]!, { groupId: circle.globalId }))).toEqual(['Popular', 'Second']);
    } finally {
      setClockOffset(NOW - Date.now());
    }
  });

  it('moves the first mentor with a free top place to the front and keeps the rest in order', () => {
    const scored = (id: string, capacity: number, topHolders: number, heldByMentee = false): Scored => ({
      candidate: {
        id,
        capacity,
        active: 0,
        expertise: [],
        helpOffered: [],
        formats: [],
        cadences: [],
        languages: [],
        hours: null,
        capacityShown: true,
        sharedGroups: [],
        feedback: { ratings: 0, ratingAverage: null, reviews: 0, recommends: 0 },
        topHolders,
        heldByMentee,
      },
      score: 0,
      reasons: [],
    });
    const ids = (list: Scored[]) => list.map((entry) => entry.candidate.id);
    const { ordered, top } = applyTopFairness([
      scored('a', 1, 1),
      scored('b', 2, 2),
      scored('c', 2, 1),
      scored('d', 1, 0),
    ]);
    expect(ids(ordered)).toEqual(['c', 'a', 'b', 'd']);
    expect(top?.candidate.id).toBe('c');
    expect(ids(applyTopFairness([scored('a', 1, 1, true), scored('b', 1, 0)]).ordered)).toEqual(['a', 'b']);
    expect(applyTopFairness([scored('a', 1, 1)]).top).toBeNull();
  });
});

describe('shared working time in real zones', () => {
  const berlin = {
    timeZone: 'Europe/Berlin',
    weeklyHours: [{ weekday: 'MONDAY' as const, start: '15:00', end: '18:00' }],
  };
  const newYork = {
    timeZone: 'America/New_York',
    weeklyHours: [{ weekday: 'MONDAY' as const, start: '09:00', end: '12:00' }],
  };
  const at = (iso: string) => new Date(iso);

  it('follows each zone’s clock changes in the coming week', () => {
    // Both on winter time: 09:00–12:00 EST is 15:00–18:00 CET.
    expect(sharedMinutesThisWeek(berlin, newYork, at('2026-01-12T00:00:00Z'))).toBe(180);
    // New York on summer time from 8 March, Berlin only from 29 March: one hour less.
    expect(sharedMinutesThisWeek(berlin, newYork, at('2026-03-16T00:00:00Z'))).toBe(120);
    // A week that starts before Berlin's change and whose Monday is after it: both on summer time.
    expect(sharedMinutesThisWeek(berlin, newYork, at('2026-03-27T12:00:00Z'))).toBe(180);
    // Autumn: Berlin back on winter time on 25 October, New York only on 1 November.
    expect(sharedMinutesThisWeek(berlin, newYork, at('2026-10-26T00:00:00Z'))).toBe(120);
    expect(sharedMinutesThisWeek(berlin, newYork, at('2026-11-02T00:00:00Z'))).toBe(180);
  });

  it('counts only the coming seven days, across midnight and up to 24:00', () => {
    const lateBerlin = {
      timeZone: 'Europe/Berlin',
      weeklyHours: [{ weekday: 'SUNDAY' as const, start: '22:00', end: '24:00' }],
    };
    const earlyTokyo = {
      timeZone: 'Asia/Tokyo',
      weeklyHours: [{ weekday: 'MONDAY' as const, start: '06:00', end: '07:30' }],
    };
    // Sunday 22:00–24:00 CET is Monday 06:00–08:00 in Tokyo.
    expect(sharedMinutesThisWeek(lateBerlin, earlyTokyo, at('2026-01-12T00:00:00Z'))).toBe(90);
    // From Sunday 21:45 UTC: what is left of this one (45 min), and the first 45 min of next week's.
    expect(sharedMinutesThisWeek(lateBerlin, earlyTokyo, at('2026-01-18T21:45:00Z'))).toBe(45 + 45);
  });
});

describe('program groups', () => {
  it('matches only among the group’s members, and only for its members', async () => {
    const zed = await mentor('Zed', { expertise: [{ name: 'Kubernetes', level: 'EXPERT' }], capacity: 1 });
    await db().membership.create({ data: { groupId: acme.id, userId: userIdOf(zed.id) } });
    const list = await suggestions(mia, { groupId: acme.globalId });
    expect(names(list)).toEqual(['Chen', 'Zed']);
    const outsider = await member('Outsider');
    await needs(outsider);
    const refused = await run(outsider, SUGGESTIONS, { groupId: acme.globalId });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await run(mia, SUGGESTIONS, { groupId: 'bm9wZQ==' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('shows its owners and admins a member’s suggestions in their words, and changes nothing', async () => {
    const before = await db().mentorTopSuggestion.findUnique({ where: { menteeId: userIdOf(mia.id) } });
    for (const staff of [olga, programAdmin]) {
      const body = await run(staff, ADMIN_VIEW, { slug: acme.slug, memberId: personId(mia) });
      expect(body.errors).toBeUndefined();
      const list = body.data!.group.mentorSuggestionsFor;
      expect(names(list)).toEqual(['Chen', 'Zed']);
      expect(texts(list[0])).toEqual([
        '2 of their 4 skills, 1 at expert level',
        'offers career guidance',
        'both in the program Acme Mentoring',
        'both members of Rustaceans',
        'meets by video call',
        'meets every two weeks, as they asked',
        'speaks Portuguese',
        'has room for 2 more mentees',
      ]);
    }
    expect(await db().mentorTopSuggestion.findUnique({ where: { menteeId: userIdOf(mia.id) } })).toEqual(before);
  });

  it('answers null to a plain member, outside the group, and in a group that is not a program', async () => {
    const asMember = await run(programMember, ADMIN_VIEW, { slug: acme.slug, memberId: personId(mia) });
    expect(asMember.errors).toBeUndefined();
    expect(asMember.data!.group.mentorSuggestionsFor).toBeNull();
    // Mia owns Launchpad, but it is an alumni group.
    const alumni = await run(mia, ADMIN_VIEW, { slug: launchpad.slug, memberId: personId(alice) });
    expect(alumni.data!.group.mentorSuggestionsFor).toBeNull();
    // Someone who is not a member of the program.
    const notMember = await run(olga, ADMIN_VIEW, { slug: acme.slug, memberId: personId(alice) });
    expect(notMember.data!.group.mentorSuggestionsFor).toBeNull();
  });
});
