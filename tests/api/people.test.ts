import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The people module over real HTTP: per-field visibility on every path (node, person, search),
// the email never shown, updateProfile, ranking, pagination and the rate limit.

const PROFILE = /* GraphQL */ `
  fragment Profile on Person {
    id name initials isViewer headline bio location timeZone openTo
    skills { level skill { id name slug } }
    links { label url }
  }
`;
const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { __typename ... on Person { ...Profile } } } ${PROFILE}`;
const PERSON = /* GraphQL */ `query ($id: ID!) { person(id: $id) { ...Profile } } ${PROFILE}`;
const PEOPLE = /* GraphQL */ `
  query ($filter: PeopleFilter, $first: Int, $after: String, $last: Int, $before: String) {
    people(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { ...Profile } }
    }
  }
  ${PROFILE}
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on UpdateProfilePayload {
        viewer {
          id name headline bio location timeZone openTo
          skills { level skill { name slug } }
          links { label url }
          visibility { headline bio location timeZone skills openTo links }
          person { id isViewer headline }
        }
      }
      ... on ValidationError { code fieldErrors { path message } }
    }
  }
`;

let server: TestServer;
// A word no other test file uses, so searches here only find members made here.
const tag = `q${randomBytes(4)
  .toString('hex')
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;

const fields = ['headline', 'bio', 'location', 'timeZone', 'skills', 'openTo', 'links'] as const;
type Field = (typeof fields)[number];

async function update(member: Member, input: Record<string, unknown>) {
  const response = await gql(server.graphqlUrl, UPDATE, { input }, { token: member.token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.updateProfile;
}

async function people(member: Member | null, variables: Record<string, unknown>) {
  return gql(server.graphqlUrl, PEOPLE, variables, member ? { token: member.token } : {});
}

async function searchNames(member: Member, filter: Record<string, unknown>, first = 40): Promise<string[]> {
  const response = await people(member, { filter, first });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.people.edges.map((edge: { node: { name: string } }) => edge.node.name);
}

/** signUp returns the Viewer's global id; the row id is inside it. */
function rowId(member: Member): string {
  return Buffer.from(member.id, 'base64').toString('utf8').split(':')[1]!;
}

function personId(member: Member): string {
  return Buffer.from(`Person:${rowId(member)}`).toString('base64');
}

async function makeGroup(name: string, visibility: 'PUBLIC' | 'PRIVATE' | 'SECRET', members: Member[]) {
  const db = server.app.services.db;
  const group = await db.group.create({
    data: {
      name,
      slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}`,
      kind: 'COMMUNITY',
      visibility,
    },
  });
  await db.membership.createMany({
    data: members.map((member, index) => ({
      groupId: group.id,
      userId: rowId(member),
      role: index === 0 ? 'OWNER' : 'MEMBER',
    })),
  });
  return Buffer.from(`Group:${group.id}`).toString('base64');
}

let owner: Member;
let groupmate: Member;
let stranger: Member;

// One field at each level: what each audience may see follows from this table alone.
const ownerVisibility: Record<Field, 'MEMBERS' | 'SHARED_GROUPS' | 'ONLY_ME'> = {
  headline: 'MEMBERS',
  bio: 'SHARED_GROUPS',
  location: 'ONLY_ME',
  timeZone: 'SHARED_GROUPS',
  skills: 'SHARED_GROUPS',
  openTo: 'ONLY_ME',
  links: 'MEMBERS',
};
const expectedVisible: Record<'owner' | 'groupmate' | 'stranger', Field[]> = {
  owner: [...fields],
  groupmate: fields.filter((field) => ownerVisibility[field] !== 'ONLY_ME'),
  stranger: fields.filter((field) => ownerVisibility[field] === 'MEMBERS'),
};

beforeAll(async () => {
  server = await startServer();
  [owner, groupmate, stranger] = await Promise.all([
    signUpMember(server.graphqlUrl, { name: `Olu ${tag} Owner` }),
    signUpMember(server.graphqlUrl, { name: `Gita ${tag} Groupmate` }),
    signUpMember(server.graphqlUrl, { name: `Sven ${tag} Stranger` }),
  ]);
  await makeGroup(`Shared ${tag}`, 'PUBLIC', [owner, groupmate]);
  const result = await update(owner, {
    headline: `Hiddenheadline ${tag} engineer`,
    bio: 'Builds payment systems.',
    location: 'Lagos',
    timeZone: 'Africa/Lagos',
    skills: [
      { name: `Zigzag${tag}`, level: 'EXPERT' },
      { name: 'Go', level: 'WORKING' },
    ],
    openTo: ['MENTORING', 'HIRING'],
    links: [{ label: 'Site', url: 'https://olu.example.com' }],
    visibility: ownerVisibility,
  });
  expect(result.__typename).toBe('UpdateProfilePayload');
});

afterAll(async () => {
  await server?.stop();
});

function expectMasked(person: Record<string, unknown>, visible: Field[]) {
  for (const field of fields) {
    if (visible.includes(field)) expect(person[field], `${field} should be visible`).not.toBeNull();
    else expect(person[field], `${field} should be hidden`).toBeNull();
  }
  expect(person).not.toHaveProperty('email');
}

describe('per-field visibility', () => {
  const viewers = ['owner', 'groupmate', 'stranger'] as const;
  const who = (name: (typeof viewers)[number]) => ({ owner, groupmate, stranger })[name];

  for (const viewer of viewers) {
    it(`node(id) shows the ${viewer} exactly the fields its visibility allows`, async () => {
      const response = await gql(server.graphqlUrl, NODE, { id: personId(owner) }, { token: who(viewer).token });
      expect(response.body.errors).toBeUndefined();
      const person = response.body.data!.node;
      expect(person).toMatchObject({
        __typename: 'Person',
        name: owner.name,
        initials: 'OO',
        isViewer: viewer === 'owner',
      });
      expectMasked(person, expectedVisible[viewer]);
    });

    it(`person(id) shows the ${viewer} exactly the fields its visibility allows`, async () => {
      const response = await gql(server.graphqlUrl, PERSON, { id: personId(owner) }, { token: who(viewer).token });
      expectMasked(response.body.data!.person, expectedVisible[viewer]);
    });

    it(`directory search shows the ${viewer} exactly the fields its visibility allows`, async () => {
      const response = await people(who(viewer), { filter: { text: `olu ${tag}` } });
      const edges = response.body.data!.people.edges;
      expect(edges).toHaveLength(1);
      expectMasked(edges[0].node, expectedVisible[viewer]);
    });
  }

  it('shows the visible values themselves, in order', async () => {
    const response = await gql(server.graphqlUrl, PERSON, { id: personId(owner) }, { token: groupmate.token });
    const person = response.body.data!.person;
    expect(person.timeZone).toBe('Africa/Lagos');
    expect(person.skills.map((s: { skill: { name: string }; level: string }) => [s.skill.name, s.level])).toEqual([
      [`Zigzag${tag}`, 'EXPERT'],
      ['Go', 'WORKING'],
    ]);
    expect(person.links).toEqual([{ label: 'Site', url: 'https://olu.example.com' }]);
  });

  it('shows signed-out visitors no one: node and person are null, the directory refuses', async () => {
    expect((await gql(server.graphqlUrl, NODE, { id: personId(owner) })).body.data!.node).toBeNull();
    expect((await gql(server.graphqlUrl, PERSON, { id: personId(owner) })).body.data!.person).toBeNull();
    const search = await people(null, { filter: { text: tag } });
    expect(search.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(search.body.data?.people ?? null).toBeNull();
  });

  it('shows the owner everything through viewer, with the visibility settings', async () => {
    const response = await gql(
      server.graphqlUrl,
      `query { viewer { bio location timeZone openTo skills { skill { name } } links { url }
        visibility { headline bio location timeZone skills openTo links } person { id isViewer location } } }`,
      {},
      { token: owner.token },
    );
    const viewer = response.body.data!.viewer;
    expect(viewer).toMatchObject({
      bio: 'Builds payment systems.',
      location: 'Lagos',
      openTo: ['MENTORING', 'HIRING'],
    });
    expect(viewer.visibility).toEqual(ownerVisibility);
    expect(viewer.person).toEqual({ id: personId(owner), isViewer: true, location: 'Lagos' });
  });
});

describe('the email address', () => {
  it('is not a field of Person at all', async () => {
    const response = await gql(
      server.graphqlUrl,
      `{ __type(name: "Person") { fields { name } } }`,
      {},
      { token: stranger.token },
    );
    const names = response.body.data!.__type.fields.map((field: { name: string }) => field.name);
    expect(names).toContain('headline');
    expect(names).not.toContain('email');
  });

  it('is not reachable through node() with another member’s Viewer id', async () => {
    const viewerId = owner.id;
    const response = await gql(
      server.graphqlUrl,
      `query ($id: ID!) { node(id: $id) { ... on Viewer { email } } }`,
      { id: viewerId },
      { token: stranger.token },
    );
    expect(response.body.data!.node).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain(owner.email);
  });

  it('is never matched by directory search', async () => {
    const localPart = owner.email.split('@')[0]!;
    expect(await searchNames(stranger, { text: localPart })).toEqual([]);
    const response = await people(stranger, { filter: { text: tag } });
    expect(JSON.stringify(response.body)).not.toContain(owner.email);
  });
});

describe('directory search respects visibility in its filters', () => {
  it('finds a member by a SHARED_GROUPS skill only for members who share a group', async () => {
    expect(await searchNames(groupmate, { skills: [`Zigzag${tag}`] })).toEqual([owner.name]);
    expect(await searchNames(stranger, { skills: [`zigzag${tag}`] })).toEqual([]);
    expect(await searchNames(groupmate, { text: `zigzag${tag}` })).toEqual([owner.name]);
    expect(await searchNames(stranger, { text: `zigzag${tag}` })).toEqual([]);
  });

  it('does not match an ONLY_ME field for anyone but the owner', async () => {
    for (const viewer of [groupmate, stranger]) {
      expect(await searchNames(viewer, { text: tag, openTo: ['HIRING'] })).toEqual([]);
    }
    expect(await searchNames(owner, { text: tag, openTo: ['HIRING'] })).toEqual([owner.name]);
  });

  it('matches a time zone only where the viewer may see it', async () => {
    expect(await searchNames(groupmate, { text: tag, timeZones: ['Africa/Lagos'] })).toEqual([owner.name]);
    expect(await searchNames(stranger, { text: tag, timeZones: ['Africa/Lagos'] })).toEqual([]);
  });

  it('matches a hidden headline for nobody but the owner', async () => {
    const hider = await signUpMember(server.graphqlUrl, { name: `Hugo ${tag} Hider` });
    await update(hider, { headline: `Secretheadline${tag}`, visibility: { headline: 'ONLY_ME' } });
    expect(await searchNames(stranger, { text: `secretheadline${tag}` })).toEqual([]);
    expect(await searchNames(hider, { text: `secretheadline${tag}` })).toEqual([hider.name]);
  });

  it('lists the members of a visible group, and nobody for a secret group the viewer is not in', async () => {
    const publicGroup = await makeGroup(`Open ${tag}`, 'PUBLIC', [groupmate, owner]);
    const secretGroup = await makeGroup(`Hidden ${tag}`, 'SECRET', [owner, groupmate]);
    expect((await searchNames(stranger, { groupId: publicGroup })).sort()).toEqual([groupmate.name, owner.name].sort());
    const secret = await people(stranger, { filter: { groupId: secretGroup } });
    expect(secret.body.data!.people).toMatchObject({ totalCount: 0, edges: [] });
    expect((await searchNames(owner, { groupId: secretGroup })).sort()).toEqual([groupmate.name, owner.name].sort());
    const bogus = await people(stranger, { filter: { groupId: 'not-a-group' } });
    expect(bogus.body.data!.people.totalCount).toBe(0);
  });

  it('makes sharing a SECRET group count as sharing a group for its members only', async () => {
    const a = await signUpMember(server.graphqlUrl, { name: `Ana ${tag} Secretive` });
    const b = await signUpMember(server.graphqlUrl, { name: `Ben ${tag} Secretive` });
    await makeGroup(`Cell ${tag}`, 'SECRET', [a, b]);
    await update(a, { bio: 'for the cell', visibility: { bio: 'SHARED_GROUPS' } });
    const asB = await gql(server.graphqlUrl, PERSON, { id: personId(a) }, { token: b.token });
    expect(asB.body.data!.person.bio).toBe('for the cell');
    const asStranger = await gql(server.graphqlUrl, PERSON, { id: personId(a) }, { token: stranger.token });
    expect(asStranger.body.data!.person.bio).toBeNull();
  });
});

describe('updateProfile', () => {
  it('changes only the fields given', async () => {
    const member = await signUpMember(server.graphqlUrl, { name: `Pat ${tag} Partial` });
    await update(member, { headline: 'First headline', location: 'Oslo', timeZone: 'Europe/Oslo' });
    const result = await update(member, { bio: 'Only the bio changes.' });
    expect(result.viewer).toMatchObject({
      name: member.name,
      headline: 'First headline',
      location: 'Oslo',
      timeZone: 'Europe/Oslo',
      bio: 'Only the bio changes.',
    });
    const cleared = await update(member, { headline: null, visibility: { links: 'ONLY_ME' } });
    expect(cleared.viewer).toMatchObject({ headline: null, location: 'Oslo' });
    expect(cleared.viewer.visibility).toMatchObject({ links: 'ONLY_ME', bio: 'MEMBERS' });
  });

  it('trims text and replaces skills and links, creating new skills by slug and reusing existing ones', async () => {
    const member = await signUpMember(server.graphqlUrl, { name: `Sam ${tag} Skills` });
    const result = await update(member, {
      name: `  Sam ${tag} Skills  `,
      skills: [
        { name: `  Brandnew ${tag} `, level: 'LEARNING' },
        { name: 'go', level: 'EXPERT' },
      ],
      links: [
        { label: ' GitHub ', url: ' https://github.com/sam ' },
        { label: 'Blog', url: 'http://sam.example.org/' },
      ],
    });
    expect(result.viewer.name).toBe(`Sam ${tag} Skills`);
    // "go" is the existing Go skill (same slug), keeping its spelling.
    expect(result.viewer.skills).toEqual([
      { level: 'EXPERT', skill: { name: 'Go', slug: 'go' } },
      { level: 'LEARNING', skill: { name: `Brandnew ${tag}`, slug: `brandnew-${tag}` } },
    ]);
    expect(result.viewer.links).toEqual([
      { label: 'GitHub', url: 'https://github.com/sam' },
      { label: 'Blog', url: 'http://sam.example.org/' },
    ]);
    expect(await server.app.services.db.skill.count({ where: { slug: 'go' } })).toBe(1);
    const emptied = await update(member, { skills: [], links: [] });
    expect(emptied.viewer).toMatchObject({ skills: [], links: [] });
  });

  it.each([
    ['name', { name: '   ' }],
    ['name', { name: 'n'.repeat(101) }],
    ['headline', { headline: 'h'.repeat(121) }],
    ['bio', { bio: 'b'.repeat(2001) }],
    ['location', { location: 'l'.repeat(101) }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['skills.0.name', { skills: [{ name: 's'.repeat(41), level: 'EXPERT' }] }],
    ['skills', { skills: Array.from({ length: 31 }, (_, i) => ({ name: `Skill ${i}`, level: 'WORKING' })) }],
    [
      'skills.1.name',
      {
        skills: [
          { name: 'Rust', level: 'EXPERT' },
          { name: 'rust', level: 'LEARNING' },
        ],
      },
    ],
    ['links.0.url', { links: [{ label: 'x', url: 'javascript:alert(1)' }] }],
    ['links.0.url', { links: [{ label: 'x', url: 'data:text/html,<script>alert(1)</script>' }] }],
    ['links.0.label', { links: [{ label: 'l'.repeat(41), url: 'https://example.com' }] }],
    ['links', { links: Array.from({ length: 11 }, (_, i) => ({ label: `L${i}`, url: `https://example.com/${i}` })) }],
  ])('rejects a bad %s with a ValidationError on that path and stores nothing', async (path, bad) => {
    const member = await signUpMember(server.graphqlUrl, { name: `Val ${tag} Idation` });
    const result = await update(member, { headline: 'Should not be stored', ...bad });
    expect(result.__typename).toBe('ValidationError');
    expect(result.code).toBe('VALIDATION');
    expect(result.fieldErrors.map((error: { path: string }) => error.path)).toContain(path);
    const stored = await server.app.services.db.user.findUniqueOrThrow({
      where: { id: rowId(member) },
      include: { skills: true, links: true },
    });
    expect(stored).toMatchObject({ headline: null, name: member.name, skills: [], links: [] });
  });

  it('refuses signed-out callers', async () => {
    const response = await gql(server.graphqlUrl, UPDATE, { input: { bio: 'x' } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('ranking and pagination', () => {
  it('puts exact skill matches first, then text rank, then name', async () => {
    const word = `Kestrel${tag}`;
    const byName = await signUpMember(server.graphqlUrl, { name: `Aaron ${word}` });
    const bySkill = await signUpMember(server.graphqlUrl, { name: `Zora ${tag} Skilled` });
    const byHeadline = await signUpMember(server.graphqlUrl, { name: `Abe ${tag} Headline` });
    await update(bySkill, { skills: [{ name: word, level: 'EXPERT' }] });
    await update(byHeadline, { headline: `Loves ${word}` });
    const names = await searchNames(stranger, { text: word });
    expect(names[0]).toBe(bySkill.name);
    expect(names.slice(1)).toEqual([byName.name, byHeadline.name]);
  });

  it('pages forwards and backwards with cursors, with a stable totalCount', async () => {
    const word = `Pager${tag}`;
    const members: Member[] = [];
    for (const letter of ['A', 'B', 'C', 'D', 'E']) {
      members.push(await signUpMember(server.graphqlUrl, { name: `${letter} ${word}` }));
    }
    const expected = members.map((member) => member.name);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const response = await people(stranger, { filter: { text: word }, first: 2, after });
      const connection = response.body.data!.people;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((edge: { node: { name: string } }) => edge.node.name));
      expect(connection.pageInfo.hasNextPage).toBe(page < 2);
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);

    const last = await people(stranger, { filter: { text: word }, last: 2 });
    expect(last.body.data!.people.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(
      expected.slice(3),
    );
    expect(last.body.data!.people.pageInfo.hasPreviousPage).toBe(true);
    const before = await people(stranger, {
      filter: { text: word },
      last: 2,
      before: last.body.data!.people.pageInfo.startCursor,
    });
    expect(before.body.data!.people.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(
      expected.slice(1, 3),
    );
  });

  it('answers a query without totalCount with the same pages (the count is skipped, not the search)', async () => {
    const word = `Uncounted${tag}`;
    for (const letter of ['A', 'B', 'C']) {
      const member = await signUpMember(server.graphqlUrl, { name: `${letter} ${word}` });
      await update(member, { skills: [{ name: word, level: 'WORKING' }] });
    }
    const NO_COUNT = /* GraphQL */ `
      query ($filter: PeopleFilter, $first: Int, $after: String) {
        people(filter: $filter, first: $first, after: $after) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { ...Profile } }
        }
      }
      ${PROFILE}
    `;
    for (const filter of [{ text: word }, { skills: [word] }]) {
      let after: string | null = null;
      for (let page = 0; page < 2; page += 1) {
        const counted = await people(stranger, { filter, first: 2, after });
        const uncounted = await gql(
          server.graphqlUrl,
          NO_COUNT,
          { filter, first: 2, after },
          { token: stranger.token },
        );
        expect(uncounted.body.errors).toBeUndefined();
        const { totalCount, ...rest } = counted.body.data!.people;
        expect(totalCount).toBe(3);
        expect(uncounted.body.data!.people).toEqual(rest);
        after = rest.pageInfo.endCursor;
      }
    }
  });

  it('refuses page sizes outside 1–100 and cursors it did not make', async () => {
    for (const first of [0, 101]) {
      const response = await people(stranger, { first });
      expect(response.body.errors?.length).toBeGreaterThan(0);
    }
    const forged = await people(stranger, { first: 5, after: 'bm90IGEgY3Vyc29y' });
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });
});

describe('skills autocomplete', () => {
  it('does not suggest a skill that only a groups-only profile holds', async () => {
    // The owner shows skills to people in their groups only; the stranger is not one of them.
    const response = await gql(
      server.graphqlUrl,
      `query ($p: String) { skills(prefix: $p, first: 5) { name slug } }`,
      { p: `zigzag${tag}` },
      { token: stranger.token },
    );
    expect(response.body.data!.skills).toEqual([]);
  });
});

describe('rate limit', () => {
  it('refuses directory searches past 120 a minute per member with RATE_LIMITED', async () => {
    const busy = await signUpMember(server.graphqlUrl, { name: `Busy ${tag} Searcher` });
    expect((await people(busy, { first: 1 })).body.errors).toBeUndefined();
    // Spend the rest of the window's allowance directly, rather than with 119 more requests.
    await server.app.services.db.rateLimitBucket.update({
      where: { key: `people-search:${rowId(busy)}` },
      data: { count: 120 },
    });
    const refused = await people(busy, { first: 1 });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // Another member is not affected.
    expect((await people(stranger, { first: 1 })).body.errors).toBeUndefined();
  });
});
