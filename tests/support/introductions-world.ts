import { expect } from 'vitest';
import { advanceClock } from '../../server/src/lib/clock.js';
import type { AppServices } from '../../server/src/context.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { type ChatMember, chatMember, groupWithMembers } from './chat.js';
import type { UntypedData } from './graphql.js';
import { mutate } from './groups.js';

// One fixture world for the introductions tests: a requester, a broker and another member, and one
// target per introduction, so that the requester can have an introduction in every state at once
// (one open request per requester and target, and a cool-down after a decline, are per pair). All
// are in one PUBLIC group (the broker's connection with both sides); every target is open to
// introductions. Everything is made through the API, the lapsed steps by moving the clock past
// them and running the due jobs, as the product does.

export const STATES = [
  'REQUESTED',
  'FORWARDED',
  'ACCEPTED',
  'BROKER_DECLINED',
  'TARGET_DECLINED',
  'BROKER_EXPIRED',
  'TARGET_EXPIRED',
  'WITHDRAWN',
  'WITHDRAWN_AFTER_FORWARD',
  /** Declined by the target before the end of its step: the requester does not know yet. */
  'TARGET_DECLINED_HIDDEN',
] as const;
export type WorldState = (typeof STATES)[number];

/** The real status each introduction of the world ends in. */
export const STATUS_OF: Record<WorldState, string> = {
  REQUESTED: 'REQUESTED',
  FORWARDED: 'FORWARDED',
  ACCEPTED: 'ACCEPTED',
  BROKER_DECLINED: 'BROKER_DECLINED',
  TARGET_DECLINED: 'TARGET_DECLINED',
  BROKER_EXPIRED: 'BROKER_EXPIRED',
  TARGET_EXPIRED: 'TARGET_EXPIRED',
  WITHDRAWN: 'WITHDRAWN',
  WITHDRAWN_AFTER_FORWARD: 'WITHDRAWN',
  TARGET_DECLINED_HIDDEN: 'TARGET_DECLINED',
};

/** Those the broker forwarded (the target sees them). */
export const FORWARDED_STATES: readonly WorldState[] = [
  'FORWARDED',
  'ACCEPTED',
  'TARGET_DECLINED',
  'TARGET_EXPIRED',
  'WITHDRAWN_AFTER_FORWARD',
  'TARGET_DECLINED_HIDDEN',
];

/** The env a world's server needs: limits out of the way of one requester and one broker with many. */
export const WORLD_ENV = { INTRODUCTIONS_MAX_PENDING: '100', INTRODUCTIONS_BROKER_WEEKLY_MAX: '1000' };

export const WORDS = {
  reason: (state: WorldState) => `I would like to meet you about ${state}.`,
  hopes: (state: WorldState) => `Half an hour on ${state}.`,
  presentation: (state: WorldState) => `Rita builds things (${state}).`,
  brokerNote: (state: WorldState) => `You two should talk (${state}).`,
  brokerMessage: 'Not a good moment for this one.',
  targetNote: (state: WorldState) => `Note from the target (${state}).`,
};

export type Party = 'requester' | 'broker' | 'other';

export interface IntroductionsWorld {
  people: Record<Party, ChatMember>;
  targets: Record<WorldState, ChatMember>;
  group: { id: string; slug: string };
  /** Global ids of the introductions. */
  ids: Record<WorldState, string>;
}

export const INTRO_RESULT = /* GraphQL */ `... on IntroductionPayload { introduction { id } }`;

export async function introMutation(
  url: string,
  who: ChatMember | null,
  name: string,
  input: Record<string, unknown>,
  selection = INTRO_RESULT,
): Promise<UntypedData> {
  return mutate(url, who, name, input, selection);
}

async function ok(result: Promise<UntypedData>): Promise<string> {
  const answer = await result;
  expect(answer.__typename, JSON.stringify(answer)).toBe('IntroductionPayload');
  return answer.introduction.id as string;
}

export async function openToIntroductions(url: string, member: ChatMember, through?: string): Promise<void> {
  const answer = await mutate(
    url,
    member,
    'updateProfile',
    { openTo: ['INTRODUCTIONS'], ...(through ? { introductionsThrough: through } : {}) },
    '... on UpdateProfilePayload { viewer { id } }',
  );
  expect(answer.__typename, JSON.stringify(answer)).toBe('UpdateProfilePayload');
}

export function request(
  url: string,
  requester: ChatMember,
  broker: ChatMember,
  target: ChatMember,
  state: WorldState | string,
) {
  return introMutation(url, requester, 'requestIntroduction', {
    brokerId: broker.personId,
    targetId: target.personId,
    reason: WORDS.reason(state as WorldState),
    hopes: WORDS.hopes(state as WorldState),
  });
}

export function forward(url: string, broker: ChatMember, introductionId: string, state: WorldState | string) {
  return introMutation(url, broker, 'forwardIntroduction', {
    introductionId,
    note: WORDS.brokerNote(state as WorldState),
    presentation: WORDS.presentation(state as WorldState),
  });
}

/** Moves the clock past a step and runs the jobs now due (the step's expiry). */
export async function lapse(services: AppServices, days: number): Promise<void> {
  advanceClock(days * 86_400_000 + 60_000);
  await runDueJobs(services);
}

export async function buildIntroductionsWorld(
  url: string,
  services: AppServices,
  tag: string,
): Promise<IntroductionsWorld> {
  const people = {
    requester: await chatMember(url, `Rita Requester ${tag}`),
    broker: await chatMember(url, `Bruno Broker ${tag}`),
    other: await chatMember(url, `Olga Other ${tag}`),
  };
  const targets = {} as Record<WorldState, ChatMember>;
  for (const state of STATES) {
    targets[state] = await chatMember(url, `Target ${state} ${tag}`);
    await openToIntroductions(url, targets[state]);
  }
  const group = await groupWithMembers(
    url,
    people.broker,
    [people.requester, people.other, ...Object.values(targets)],
    {
      name: `Introductions ${tag}`,
    },
  );
  const { requester, broker } = people;
  const ids = {} as Record<WorldState, string>;
  const asked = (state: WorldState) => ok(request(url, requester, broker, targets[state], state));

  // Those whose step ends first: lapsed, or declined by the target long enough ago that the requester
  // has learnt it did not happen (a decline reaches them when a lapse would).
  const first = ['BROKER_EXPIRED', 'TARGET_EXPIRED', 'TARGET_DECLINED'] as const;
  for (const state of first) ids[state] = await asked(state);
  for (const state of ['TARGET_EXPIRED', 'TARGET_DECLINED'] as const) await ok(forward(url, broker, ids[state], state));
  await ok(
    introMutation(url, targets.TARGET_DECLINED, 'declineIntroduction', {
      introductionId: ids.TARGET_DECLINED,
      note: WORDS.targetNote('TARGET_DECLINED'),
    }),
  );
  await lapse(services, Number(services.env.INTRODUCTIONS_STEP_DAYS));

  for (const state of STATES) {
    if ((first as readonly WorldState[]).includes(state)) continue;
    ids[state] = await asked(state);
  }
  for (const state of ['FORWARDED', 'ACCEPTED', 'WITHDRAWN_AFTER_FORWARD', 'TARGET_DECLINED_HIDDEN'] as const) {
    await ok(forward(url, broker, ids[state], state));
  }
  await ok(
    introMutation(url, broker, 'declineIntroductionRequest', {
      introductionId: ids.BROKER_DECLINED,
      messageToRequester: WORDS.brokerMessage,
    }),
  );
  await ok(
    introMutation(url, targets.ACCEPTED, 'acceptIntroduction', {
      introductionId: ids.ACCEPTED,
      note: WORDS.targetNote('ACCEPTED'),
    }),
  );
  await ok(
    introMutation(url, targets.TARGET_DECLINED_HIDDEN, 'declineIntroduction', {
      introductionId: ids.TARGET_DECLINED_HIDDEN,
      note: WORDS.targetNote('TARGET_DECLINED_HIDDEN'),
    }),
  );
  await ok(introMutation(url, requester, 'withdrawIntroduction', { introductionId: ids.WITHDRAWN }));
  await ok(introMutation(url, requester, 'withdrawIntroduction', { introductionId: ids.WITHDRAWN_AFTER_FORWARD }));
  await ok(
    introMutation(url, requester, 'answerIntroductionFollowUp', { introductionId: ids.ACCEPTED, answer: 'YES' }),
  );
  await ok(
    introMutation(url, targets.ACCEPTED, 'answerIntroductionFollowUp', {
      introductionId: ids.ACCEPTED,
      answer: 'NOT_YET',
    }),
  );
  return { people, targets, group: { id: group.id, slug: group.slug }, ids };
}
