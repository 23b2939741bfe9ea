import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/src/app.js';
import type { DbClient } from '../../server/src/db.js';
import { loadEnv } from '../../server/src/env.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gql, type Member, signUpMember, type UntypedData } from '../support/graphql.js';
import { mutate, personId } from '../support/groups.js';
import { block, groupOf, mentorshipOf, openToIntroductions, rowOf } from '../support/introductions.js';
import { makeMentor, mentorshipMutation, requestMentorship } from '../support/mentorship.js';
import { publishOneSlot } from '../support/office-hours.js';
import { startServer, type TestServer } from '../support/server.js';
import { trackInProcessServer } from '../support/sign-up.js';

// Person.viewerActions: what a member can do from a profile or a directory card (message, request
// mentorship, book office hours, ask for an introduction), with the reason in words when not — for
// each kind of viewer: themself, a stranger, either side of a block, a mentor who is paused, full or
// already theirs, a host with and without office hours, a hidden openTo, signed out. Each answer is
// checked against the mutation behind the button, which must refuse exactly when it says no. A
// block by the other is never told: it reads as that action's ordinary "no", word for word.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db as DbClient;

const ACTION = 'available reason';
const ACTIONS = `viewerActions {
  message { ${ACTION} } requestMentorship { ${ACTION} } bookOfficeHours { ${ACTION} } askIntroduction { ${ACTION} }
}`;
const PERSON = `query ($id: ID!) { person(id: $id) { id name ${ACTIONS} } }`;

interface Answer {
  available: boolean;
  reason: string | null;
}
interface Actions {
  message: Answer;
  requestMentorship: Answer;
  bookOfficeHours: Answer;
  askIntroduction: Answer;
}

async function actionsOf(viewer: Member, of: Member): Promise<Actions> {
  const response = await gql(url(), PERSON, { id: personId(of) }, { token: viewer.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  const person = response.body.data!.person as UntypedData | null;
  expect(person, 'the person is seen').not.toBeNull();
  return person!.viewerActions as Actions;
}

const yes: Answer = { available: true, reason: null };
const no = (reason: string): Answer => ({ available: false, reason });

async function member(name: string): Promise<Member> {
  return signUpMember(url(), { name: `${name} ${randomBytes(2).toString('hex')}` });
}

/** A member who is everything: a mentor taking mentees, a host with a slot to come, open to introductions. */
async function everything(name: string): Promise<Member> {
  const who = await member(name);
  await makeMentor(url(), who);
  await publishOneSlot(url(), who);
  await openToIntroductions(db(), who);
  return who;
}

/** Whether each mutation behind the buttons goes through (each one is undone, or harmless, after). */
async function mutationsAgree(viewer: Member, of: Member, actions: Actions) {
  const direct = await mutate(url(), viewer, 'startDirectConversation', { personIds: [personId(of)] });
  expect(direct.__typename === 'ConversationPayload', `message: ${JSON.stringify(direct)}`).toBe(
    actions.message.available,
  );
  // Asking is the one that changes something: only asked when the answer is no (or at the very end).
  if (!actions.requestMentorship.available) {
    const asked = await mentorshipMutation(url(), viewer, 'requestMentorship', {
      mentorId: personId(of),
      message: 'Could you help me?',
      goals: 'Review code well.',
    });
    expect(asked.__typename, `requestMentorship: ${JSON.stringify(asked)}`).not.toBe('MentorshipRequestPayload');
  }
  const brokers = await gql(
    url(),
    'query ($id: ID!) { introductionBrokers(targetId: $id) { canAsk reason } }',
    { id: personId(of) },
    { token: viewer.token },
  );
  expect(brokers.body.data!.introductionBrokers.canAsk).toBe(actions.askIntroduction.available);
}

beforeAll(async () => {
  server = await startServer({ env: { MUTATIONS_MAX_PER_MINUTE: '100000', GROUPS_CREATED_MAX_PER_HOUR: '100000' } });
});
afterAll(async () => {
  await server?.stop();
});

describe('Person.viewerActions', () => {
  it('offers nothing toward yourself', async () => {
    const ada = await member('Ada');
    expect(await actionsOf(ada, ada)).toEqual({
      message: no('This is you.'),
      requestMentorship: no('This is you.'),
      bookOfficeHours: no('This is you.'),
      askIntroduction: no('This is you.'),
    });
  });

  it('signed out, no one is seen at all (so no actions)', async () => {
    const mira = await everything('Mira');
    const response = await gql(url(), PERSON, { id: personId(mira) });
    expect(response.body.data?.person ?? null).toBeNull();
  });

  it('a stranger: a message only; the rest say why, and the mutations agree', async () => {
    const ada = await member('Ada');
    const bob = await member('Bob');
    const actions = await actionsOf(ada, bob);
    const name = (await gql(url(), PERSON, { id: personId(bob) }, { token: ada.token })).body.data!.person.name;
    expect(actions).toEqual({
      message: yes,
      requestMentorship: no(`${name} doesn’t offer mentoring.`),
      bookOfficeHours: no(`${name} has no office hours open to you right now.`),
      askIntroduction: no(`${name} is not taking introductions right now.`),
    });
    await mutationsAgree(ada, bob, actions);
  });

  it('a mentor, host and open member you share a group with (and a broker): every action', async () => {
    const ada = await member('Ada');
    const mira = await everything('Mira');
    const broker = await member('Bruno');
    await groupOf(db(), [broker, ada, mira]);
    const actions = await actionsOf(ada, mira);
    expect(actions).toEqual({ message: yes, requestMentorship: yes, bookOfficeHours: yes, askIntroduction: yes });
    await mutationsAgree(ada, mira, actions);
    // Once asked, the request is waiting: asking again is not offered.
    await requestMentorship(url(), ada, mira);
    const after = await actionsOf(ada, mira);
    expect(after.requestMentorship.available).toBe(false);
    expect(after.requestMentorship.reason).toMatch(
      /^You asked Mira .+ already: your request is waiting for an answer\.$/,
    );
    await mutationsAgree(ada, mira, after);
  });

  it('a paused mentor, a full one, one who is already yours, and one you may not ask', async () => {
    const ada = await member('Ada');
    const paused = await member('Paula');
    await makeMentor(url(), paused, { accepting: false });
    const full = await member('Fred');
    await makeMentor(url(), full, { capacity: 1 });
    await mentorshipOf(db(), full, await member('Someone'));
    const mine = await member('Max');
    await makeMentor(url(), mine);
    await mentorshipOf(db(), mine, ada);
    const choosy = await member('Cleo');
    const group = await groupOf(db(), [choosy]);
    await makeMentor(url(), choosy, { askScope: 'CHOSEN_GROUPS', askGroupIds: [globalId('Group', group.id)] });

    const words = async (of: Member) => (await actionsOf(ada, of)).requestMentorship;
    expect(await words(paused)).toEqual(no(`${nameOf(paused)} isn’t taking mentees right now.`));
    expect(await words(full)).toEqual(no(`${nameOf(full)} has no room for another mentee right now.`));
    expect(await words(mine)).toEqual(no('You’re already their mentee.'));
    expect(await words(choosy)).toEqual(no(`${nameOf(choosy)} takes mentees only from groups you’re not in.`));
    for (const of of [paused, full, mine, choosy]) await mutationsAgree(ada, of, await actionsOf(ada, of));
  });

  it('the pending-request limit', async () => {
    const ada = await member('Ada');
    for (let i = 0; i < 3; i += 1) {
      const mentor = await member(`Mentor${i}`);
      await makeMentor(url(), mentor);
      await requestMentorship(url(), ada, mentor);
    }
    const next = await member('Nina');
    await makeMentor(url(), next);
    const actions = await actionsOf(ada, next);
    expect(actions.requestMentorship).toEqual(
      no('You have 3 requests waiting for an answer: withdraw one or wait for an answer first.'),
    );
    await mutationsAgree(ada, next, actions);
  });

  it('you blocked them: each action says so', async () => {
    const ada = await member('Ada');
    const vic = await everything('Vic');
    await groupOf(db(), [await member('Bruno'), ada, vic]);
    await block(db(), ada, vic);
    const actions = await actionsOf(ada, vic);
    const yours = `You blocked ${nameOf(vic)}.`;
    expect(actions).toEqual({
      message: no(`${yours} Unblock them to send a message.`),
      requestMentorship: no(yours),
      bookOfficeHours: no(yours),
      askIntroduction: no(yours),
    });
    await mutationsAgree(ada, vic, actions);
  });

  it('they blocked you: the ordinary "no" of each action, never the block', async () => {
    const ada = await member('Ada');
    const tom = await everything('Tom');
    await groupOf(db(), [await member('Bruno'), ada, tom]);
    await block(db(), tom, ada);
    const actions = await actionsOf(ada, tom);
    const name = nameOf(tom);
    expect(actions).toEqual({
      message: no(`You can’t message ${name}.`),
      // Word for word what a paused mentor, a host without office hours for you, and a member who
      // does not take introductions read as (the tests above).
      requestMentorship: no(`${name} isn’t taking mentees right now.`),
      bookOfficeHours: no(`${name} has no office hours open to you right now.`),
      askIntroduction: no(`${name} is not taking introductions right now.`),
    });
    expect(JSON.stringify(actions)).not.toMatch(/block/i);
    await mutationsAgree(ada, tom, actions);
  });

  it('a hidden openTo reads as not taking introductions; introductions only through mentors say so', async () => {
    const ada = await member('Ada');
    const hana = await member('Hana');
    await groupOf(db(), [await member('Bruno'), ada, hana]);
    await openToIntroductions(db(), hana);
    await db().user.update({ where: { id: rowOf(hana) }, data: { openToVisibility: 'ONLY_ME' } });
    expect((await actionsOf(ada, hana)).askIntroduction).toEqual(
      no(`${nameOf(hana)} is not taking introductions right now.`),
    );

    const rae = await member('Rae');
    await groupOf(db(), [await member('Bruno'), ada, rae]);
    await openToIntroductions(db(), rae, 'MENTORSHIPS');
    const actions = await actionsOf(ada, rae);
    expect(actions.askIntroduction).toEqual(
      no(
        `${nameOf(rae)} takes introductions only through people they mentor or are mentored by, and none of them is connected to you.`,
      ),
    );
    await mutationsAgree(ada, rae, actions);
  });

  it('office hours: offered only while the host lists a time to come for you', async () => {
    const ada = await member('Ada');
    const host = await member('Hal');
    expect((await actionsOf(ada, host)).bookOfficeHours.available).toBe(false);
    const { officeHoursId } = await publishOneSlot(url(), host);
    expect((await actionsOf(ada, host)).bookOfficeHours).toEqual(yes);
    // Only for chosen groups Ada is not in: not for her.
    await db().officeHours.update({ where: { id: rowOfGlobal(officeHoursId) }, data: { audience: 'GROUPS' } });
    expect((await actionsOf(ada, host)).bookOfficeHours).toEqual(
      no(`${nameOf(host)} has no office hours open to you right now.`),
    );
  });

  it('a directory page answers the same as each profile', async () => {
    const ada = await member('Ada');
    const tag = randomBytes(3).toString('hex');
    const people = [
      await signUpMember(url(), { name: `Dir ${tag} One` }),
      await signUpMember(url(), { name: `Dir ${tag} Two` }),
      await signUpMember(url(), { name: `Dir ${tag} Three` }),
    ];
    await makeMentor(url(), people[0]!);
    await publishOneSlot(url(), people[1]!);
    await block(db(), ada, people[2]!);
    const response = await gql(
      url(),
      `query ($text: String) { people(filter: { text: $text }, first: 10) { edges { node { id ${ACTIONS} } } } }`,
      { text: `Dir ${tag}` },
      { token: ada.token },
    );
    expect(response.body.errors).toBeUndefined();
    const cards = response.body.data!.people.edges as Array<{ node: { id: string; viewerActions: Actions } }>;
    // The one Ada blocked is not offered in the directory at all (people's BLOCK_RULES.suggest).
    expect(cards.map((card) => card.node.id).sort()).toEqual([personId(people[0]!), personId(people[1]!)].sort());
    for (const card of cards) {
      const who = people.find((p) => personId(p) === card.node.id)!;
      expect(card.node.viewerActions).toEqual(await actionsOf(ada, who));
    }
  });
});

// ── statements per request ───────────────────────────────────────────────

describe('a directory page costs as many statements for 6 cards as for 2', () => {
  let app: App;
  let database: TestDatabase;
  let untrack = () => {};
  const statements: string[] = [];

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
    app = await buildApp(env, { onQuery: (sql) => statements.push(sql) });
    await app.start();
    untrack = trackInProcessServer(app);
  }, 120_000);

  afterAll(async () => {
    untrack();
    await app?.stop();
    await database?.drop();
  });

  it('mentors, hosts and strangers alike', async () => {
    const countingUrl = `${app.url}/graphql`;
    const viewer = await signUpMember(countingUrl, { name: 'Counting Viewer' });
    const page = async (prefix: string, count: number) => {
      for (let i = 0; i < count; i += 1) {
        const person = await signUpMember(countingUrl, { name: `${prefix} ${i}` });
        if (i % 3 === 0) await makeMentor(countingUrl, person);
        if (i % 3 === 1) await publishOneSlot(countingUrl, person);
      }
      statements.length = 0;
      const response = await gql(
        countingUrl,
        `query ($text: String) { people(filter: { text: $text }, first: 20) { edges { node { id name ${ACTIONS} } } } }`,
        { text: prefix },
        { token: viewer.token },
      );
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.people.edges).toHaveLength(count);
      // The viewer's session is read or not depending on the session cache (10 s): not the page's cost.
      return statements.filter((sql) => !sql.includes('"Session"')).length;
    };
    const small = await page('Fewcards', 2);
    const large = await page('Manycards', 6);
    expect(large).toBe(small);
  });
});

// ── helpers ──────────────────────────────────────────────────────────────

const names = new Map<string, string>();
function nameOf(who: Member): string {
  return names.get(who.id) ?? who.name;
}
function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}
function rowOfGlobal(id: string): string {
  return Buffer.from(id, 'base64').toString('utf8').split(':')[1]!;
}
