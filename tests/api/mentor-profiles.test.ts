import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { personId, userIdOf } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// The mentorship module's first part over real HTTP: a mentor profile saved and read back, its
// per-field visibility for each audience on every path (Person, Viewer, node), pausing, who may
// ask, typed validation errors that store nothing, and a mentee's needs seen by the member alone.

const MENTOR = /* GraphQL */ `
  fragment Mentor on MentorProfile {
    id accepting capacity helpOffered formats cadences timeZone languages askScope
    expertise { level skill { name slug } }
    weeklyHours { weekday start end }
    askGroups { id }
    visibility { expertise helpOffered capacity formats cadences weeklyHours languages askScope }
    person { id }
  }
`;
const SAVE = /* GraphQL */ `
  mutation ($input: SaveMentorProfileInput!) {
    saveMentorProfile(input: $input) {
      __typename
      ... on SaveMentorProfilePayload { mentorProfile { ...Mentor } }
      ... on ValidationError { code fieldErrors { path message } }
    }
  }
  ${MENTOR}
`;
const VIEWER = /* GraphQL */ `query { viewer { mentorProfile { ...Mentor } menteeNeeds { goals } } } ${MENTOR}`;
const PERSON = /* GraphQL */ `query ($id: ID!) { person(id: $id) { mentorProfile { ...Mentor } } } ${MENTOR}`;
const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { __typename ... on MentorProfile { ...Mentor } } } ${MENTOR}`;
const PAUSE = /* GraphQL */ `mutation { pauseMentoring { __typename ... on SaveMentorProfilePayload { mentorProfile { accepting } } ... on Error { code } } }`;
const RESUME = /* GraphQL */ `mutation { resumeMentoring { __typename ... on SaveMentorProfilePayload { mentorProfile { accepting } } ... on Error { code } } }`;
const NEEDS = /* GraphQL */ `
  mutation ($input: SaveMenteeNeedsInput!) {
    saveMenteeNeeds(input: $input) {
      __typename
      ... on SaveMenteeNeedsPayload {
        menteeNeeds {
          goals helpWanted formats cadence timeZone
          skills { currentLevel wantedLevel skill { name } }
          weeklyHours { weekday start end }
        }
      }
      ... on ValidationError { code fieldErrors { path message } }
    }
  }
`;

let server: TestServer;
let mentor: Member;
let groupmate: Member;
let stranger: Member;
let sharedGroup: string;
let strangersGroup: string;

async function run(who: Member | null, query: string, variables: Record<string, unknown> = {}) {
  const response = await gql(server.graphqlUrl, query, variables, who ? { token: who.token } : {});
  return response.body;
}

async function makeGroup(name: string, members: Member[]): Promise<string> {
  const db = server.app.services.db;
  const group = await db.group.create({
    data: {
      name,
      slug: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}`,
      kind: 'COMMUNITY',
      visibility: 'PUBLIC',
    },
  });
  await db.membership.createMany({
    data: members.map((member, index) => ({
      groupId: group.id,
      userId: userIdOf(member.id),
      role: index === 0 ? 'OWNER' : 'MEMBER',
    })),
  });
  return Buffer.from(`Group:${group.id}`).toString('base64');
}

function mentorProfileId(member: Member): string {
  return Buffer.from(`MentorProfile:${userIdOf(member.id)}`).toString('base64');
}

const VALID = {
  expertise: [
    { name: '  TypeScript ', level: 'EXPERT' },
    { name: 'Public speaking', level: 'WORKING' },
  ],
  helpOffered: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE', 'TECHNICAL_SKILLS'],
  capacity: 3,
  formats: ['VIDEO', 'CHAT'],
  cadences: ['BIWEEKLY'],
  timeZone: 'asia/calcutta',
  weeklyHours: [
    { weekday: 'WEDNESDAY', start: '18:00', end: '20:00' },
    { weekday: 'MONDAY', start: '9:00', end: '11:00' },
    { weekday: 'MONDAY', start: '10:30', end: '12:00' },
  ],
  languages: ['en', 'pt-br'],
  askScope: 'EVERYONE',
  // One field at each level: what each audience sees follows from this alone.
  visibility: { capacity: 'SHARED_GROUPS', languages: 'ONLY_ME', expertise: 'MEMBERS' },
};

async function save(who: Member, input: Record<string, unknown>) {
  const body = await run(who, SAVE, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.saveMentorProfile;
}

beforeAll(async () => {
  server = await startServer();
  const tag = randomBytes(3).toString('hex');
  [mentor, groupmate, stranger] = await Promise.all([
    signUpMember(server.graphqlUrl, { name: `Mentor ${tag}` }),
    signUpMember(server.graphqlUrl, { name: `Groupmate ${tag}` }),
    signUpMember(server.graphqlUrl, { name: `Stranger ${tag}` }),
  ]);
  sharedGroup = await makeGroup(`Shared${tag}`, [mentor, groupmate]);
  strangersGroup = await makeGroup(`Strangers${tag}`, [stranger]);
});

afterAll(async () => {
  await server?.stop();
});

describe('mentor profiles', () => {
  it('has no mentor profile until the member saves one', async () => {
    const body = await run(mentor, VIEWER);
    expect(body.data!.viewer.mentorProfile).toBeNull();
    expect((await run(groupmate, PERSON, { id: personId(mentor) })).data!.person.mentorProfile).toBeNull();
  });

  it('refuses invalid input with typed field errors and stores nothing', async () => {
    const result = await save(mentor, {
      ...VALID,
      capacity: 21,
      timeZone: 'Mars/Olympus',
      languages: ['en', 'not a language!'],
      weeklyHours: [
        { weekday: 'MONDAY', start: '12:00', end: '11:00' },
        { weekday: 'TUESDAY', start: '25:00', end: '26:00' },
      ],
      expertise: [{ name: '   ', level: 'EXPERT' }],
    });
    expect(result.__typename).toBe('ValidationError');
    expect(result.code).toBe('VALIDATION');
    const paths = result.fieldErrors.map((problem: { path: string }) => problem.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'capacity',
        'timeZone',
        'languages.1',
        'weeklyHours.0.end',
        'weeklyHours.1.start',
        'expertise.0.name',
      ]),
    );
    expect((await run(mentor, VIEWER)).data!.viewer.mentorProfile).toBeNull();
    expect(await server.app.services.db.mentorProfile.count({ where: { userId: userIdOf(mentor.id) } })).toBe(0);
  });

  it('saves and reads back a profile with its zone canonical and its hours normalised', async () => {
    const result = await save(mentor, VALID);
    expect(result.__typename).toBe('SaveMentorProfilePayload');
    const profile = result.mentorProfile;
    expect(profile).toMatchObject({
      id: mentorProfileId(mentor),
      accepting: true,
      capacity: 3,
      helpOffered: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
      formats: ['VIDEO', 'CHAT'],
      cadences: ['BIWEEKLY'],
      timeZone: 'Asia/Kolkata',
      languages: ['en', 'pt-BR'],
      askScope: 'EVERYONE',
      askGroups: [],
      person: { id: personId(mentor) },
      visibility: { capacity: 'SHARED_GROUPS', languages: 'ONLY_ME', expertise: 'MEMBERS', formats: 'MEMBERS' },
    });
    expect(profile.expertise).toEqual([
      { level: 'EXPERT', skill: { name: 'TypeScript', slug: 'typescript' } },
      { level: 'WORKING', skill: { name: 'Public speaking', slug: 'public-speaking' } },
    ]);
    expect(profile.weeklyHours).toEqual([
      { weekday: 'MONDAY', start: '09:00', end: '12:00' },
      { weekday: 'WEDNESDAY', start: '18:00', end: '20:00' },
    ]);
    expect((await run(mentor, VIEWER)).data!.viewer.mentorProfile).toEqual(profile);
  });

  it('shows each field to the audiences its visibility allows, on Person and node(id)', async () => {
    const seen = async (who: Member | null) => {
      const person = who ? (await run(who, PERSON, { id: personId(mentor) })).data!.person?.mentorProfile : null;
      const node = (await run(who, NODE, { id: mentorProfileId(mentor) })).data!.node;
      return { person, node };
    };
    const self = await seen(mentor);
    expect(self.node).toMatchObject({ __typename: 'MentorProfile', capacity: 3, languages: ['en', 'pt-BR'] });
    const { __typename, ...selfNode } = self.node;
    expect(self.person).toEqual(selfNode);

    const mate = await seen(groupmate);
    for (const profile of [mate.person, mate.node]) {
      expect(profile).toMatchObject({ capacity: 3, languages: null, accepting: true, visibility: null });
      expect(profile.expertise).toHaveLength(2);
    }

    const other = await seen(stranger);
    for (const profile of [other.person, other.node]) {
      expect(profile).toMatchObject({ capacity: null, languages: null, formats: ['VIDEO', 'CHAT'], visibility: null });
      expect(profile.expertise).toHaveLength(2);
    }

    expect((await seen(null)).node).toBeNull();
    expect((await run(null, PERSON, { id: personId(mentor) })).data?.person ?? null).toBeNull();
  });

  it("hides the mentor profile with the member's own words when the admins hide the profile", async () => {
    const db = server.app.services.db;
    await db.user.update({ where: { id: userIdOf(mentor.id) }, data: { profileHiddenAt: new Date() } });
    try {
      expect((await run(stranger, NODE, { id: mentorProfileId(mentor) })).data!.node).toBeNull();
      expect((await run(groupmate, PERSON, { id: personId(mentor) })).data!.person.mentorProfile).toBeNull();
      expect((await run(mentor, VIEWER)).data!.viewer.mentorProfile.capacity).toBe(3);
    } finally {
      await db.user.update({ where: { id: userIdOf(mentor.id) }, data: { profileHiddenAt: null } });
    }
  });

  it('pauses and resumes taking mentees, visibly to others', async () => {
    expect((await run(mentor, PAUSE)).data!.pauseMentoring).toEqual({
      __typename: 'SaveMentorProfilePayload',
      mentorProfile: { accepting: false },
    });
    expect((await run(stranger, NODE, { id: mentorProfileId(mentor) })).data!.node.accepting).toBe(false);
    // Saving the profile again without `accepting` keeps it paused.
    expect((await save(mentor, VALID)).mentorProfile.accepting).toBe(false);
    expect((await run(mentor, RESUME)).data!.resumeMentoring.mentorProfile.accepting).toBe(true);
    expect((await run(stranger, PAUSE)).data!.pauseMentoring).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    expect((await run(null, PAUSE)).errors?.[0]?.extensions?.code).toBeTruthy();
  });

  it('lets only members of groups the mentor belongs to be chosen as who may ask', async () => {
    const refused = await save(mentor, {
      ...VALID,
      askScope: 'CHOSEN_GROUPS',
      askGroupIds: [sharedGroup, strangersGroup],
    });
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fieldErrors).toEqual([{ path: 'askGroupIds.1', message: 'Choose only groups you belong to.' }]);
    expect((await run(mentor, VIEWER)).data!.viewer.mentorProfile.askScope).toBe('EVERYONE');

    const none = await save(mentor, { ...VALID, askScope: 'CHOSEN_GROUPS', askGroupIds: [] });
    expect(none.fieldErrors[0].path).toBe('askGroupIds');

    const saved = await save(mentor, { ...VALID, askScope: 'CHOSEN_GROUPS', askGroupIds: [sharedGroup] });
    expect(saved.mentorProfile).toMatchObject({ askScope: 'CHOSEN_GROUPS', askGroups: [{ id: sharedGroup }] });
  });
});

describe('mentee needs', () => {
  const NEEDS_INPUT = {
    skills: [
      { name: 'Rust', currentLevel: 'LEARNING', wantedLevel: 'WORKING' },
      { name: 'Leading teams', wantedLevel: 'WORKING' },
    ],
    goals: '  Ship my first Rust service and lead a small team.  ',
    helpWanted: ['TECHNICAL_SKILLS', 'LEADERSHIP'],
    formats: ['VIDEO'],
    cadence: 'WEEKLY',
    timeZone: 'america/sao_paulo',
    weeklyHours: [{ weekday: 'SATURDAY', start: '10:00', end: '24:00' }],
  };

  it('refuses goals that are too long, and stores nothing', async () => {
    const body = await run(stranger, NEEDS, { input: { ...NEEDS_INPUT, goals: 'x'.repeat(2001) } });
    expect(body.data!.saveMenteeNeeds).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: 'goals' }],
    });
    expect((await run(stranger, VIEWER)).data!.viewer.menteeNeeds).toBeNull();
  });

  it('saves the needs for the member alone to read back', async () => {
    const body = await run(stranger, NEEDS, { input: NEEDS_INPUT });
    expect(body.data!.saveMenteeNeeds).toEqual({
      __typename: 'SaveMenteeNeedsPayload',
      menteeNeeds: {
        goals: 'Ship my first Rust service and lead a small team.',
        helpWanted: ['TECHNICAL_SKILLS', 'LEADERSHIP'],
        formats: ['VIDEO'],
        cadence: 'WEEKLY',
        timeZone: 'America/Sao_Paulo',
        skills: [
          { currentLevel: 'LEARNING', wantedLevel: 'WORKING', skill: { name: 'Rust' } },
          { currentLevel: null, wantedLevel: 'WORKING', skill: { name: 'Leading teams' } },
        ],
        weeklyHours: [{ weekday: 'SATURDAY', start: '10:00', end: '24:00' }],
      },
    });
    expect((await run(stranger, VIEWER)).data!.viewer.menteeNeeds.goals).toBe(
      'Ship my first Rust service and lead a small team.',
    );
    // Nobody else has a path to them: the mentor's viewer shows the mentor's own (none).
    expect((await run(mentor, VIEWER)).data!.viewer.menteeNeeds).toBeNull();
  });
});
