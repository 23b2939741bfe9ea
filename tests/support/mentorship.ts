import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { gql, type Member, type UntypedData } from './graphql.js';
import { personId, userIdOf } from './groups.js';

// Helpers for the mentorship tests (requests, the relationship, goals, check-ins, metrics): a mentor
// profile, a request and an ACTIVE mentorship, all made through the API as a client would. Each
// fails loudly (expect) when the API refuses, with the answer in the message.

export const MENTORSHIP_RESULT = /* GraphQL */ `__typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } }`;

/** A mentor profile everyone may ask; `overrides` replace any field of SaveMentorProfileInput. */
export function mentorProfileInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    expertise: [{ name: 'TypeScript', level: 'EXPERT' }],
    helpOffered: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    capacity: 3,
    formats: ['VIDEO', 'CHAT'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Europe/Berlin',
    weeklyHours: [{ weekday: 'MONDAY', start: '09:00', end: '12:00' }],
    languages: ['en'],
    askScope: 'EVERYONE',
    ...overrides,
  };
}

async function run(url: string, who: Member, query: string, variables: Record<string, unknown>): Promise<UntypedData> {
  const response = await gql(url, query, variables, { token: who.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

/** Runs one mutation `name(input: $input)` and returns its result (typed errors included). */
export async function mentorshipMutation(
  url: string,
  who: Member,
  name: string,
  input: Record<string, unknown>,
  selection = '',
): Promise<UntypedData> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const query = `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${MENTORSHIP_RESULT} ${selection} } }`;
  const data = await run(url, who, query, { input });
  return data[name] as UntypedData;
}

/** Makes `member` a mentor (saveMentorProfile); returns the MentorProfile's global ID. */
export async function makeMentor(
  url: string,
  member: Member,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const data = await run(
    url,
    member,
    `mutation ($input: SaveMentorProfileInput!) {
      saveMentorProfile(input: $input) { ${MENTORSHIP_RESULT} ... on SaveMentorProfilePayload { mentorProfile { id } } }
    }`,
    { input: mentorProfileInput(overrides) },
  );
  const result = data.saveMentorProfile;
  expect(result.__typename, JSON.stringify(result)).toBe('SaveMentorProfilePayload');
  return result.mentorProfile.id as string;
}

export interface RequestOptions {
  message?: string;
  goals?: string;
  /** A group global ID (optional context for the request). */
  groupId?: string;
}

/** `mentee` asks `mentor` (who must already be a mentor); returns the MentorshipRequest's global ID. */
export async function requestMentorship(
  url: string,
  mentee: Member,
  mentor: Member,
  options: RequestOptions = {},
): Promise<string> {
  const result = await mentorshipMutation(
    url,
    mentee,
    'requestMentorship',
    {
      mentorId: personId(mentor),
      message: options.message ?? 'I would love your help getting better at TypeScript.',
      goals: options.goals ?? 'Ship a typed library; give a talk about it.',
      ...(options.groupId ? { groupId: options.groupId } : {}),
    },
    '... on MentorshipRequestPayload { request { id } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('MentorshipRequestPayload');
  return result.request.id as string;
}

export interface ActiveMentorship {
  requestId: string;
  /** Mentorship global ID. */
  id: string;
  /** Conversation global ID (the pair's MENTORSHIP conversation). */
  conversationId: string;
}

/** The mentor accepts a pending request; returns the new mentorship. */
export async function acceptRequest(
  url: string,
  who: Member,
  requestId: string,
  extra: Record<string, unknown> = {},
): Promise<ActiveMentorship | null> {
  const result = await mentorshipMutation(
    url,
    who,
    'acceptMentorshipRequest',
    { requestId, ...extra },
    '... on MentorshipRequestPayload { request { id status mentorship { id conversation { id } } } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('MentorshipRequestPayload');
  const mentorship = result.request.mentorship;
  return mentorship ? { requestId, id: mentorship.id, conversationId: mentorship.conversation.id } : null;
}

/**
 * An ACTIVE mentorship between the two, made as the product makes it: `mentor` gets a mentor profile
 * (unless `mentorProfile: false`: it already has one), `mentee` requests, `mentor` accepts.
 */
export async function activeMentorship(
  url: string,
  mentee: Member,
  mentor: Member,
  options: RequestOptions & { mentorProfile?: Record<string, unknown> | false } = {},
): Promise<ActiveMentorship> {
  if (options.mentorProfile !== false) await makeMentor(url, mentor, options.mentorProfile ?? {});
  const requestId = await requestMentorship(url, mentee, mentor, options);
  const mentorship = await acceptRequest(url, mentor, requestId);
  expect(mentorship).not.toBeNull();
  return mentorship!;
}

/** A valid agreement input for proposeMentorshipAgreement (dates as YYYY-MM-DD). */
export function agreementInput(mentorshipId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mentorshipId,
    cadence: 'BIWEEKLY',
    format: 'VIDEO',
    sessionMinutes: 45,
    startsOn: '2026-01-05',
    plannedEndOn: '2026-06-29',
    mentorExpectations: 'Come with a question; I answer within two days.',
    menteeExpectations: 'Honest feedback, and one intro a month.',
    confidentiality: 'What we say stays between us.',
    ...overrides,
  };
}

/** Proposes an agreement as `who`; returns the MentorshipAgreement's global ID. */
export async function proposeAgreement(
  url: string,
  who: Member,
  mentorshipId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const result = await mentorshipMutation(
    url,
    who,
    'proposeMentorshipAgreement',
    agreementInput(mentorshipId, overrides),
    '... on MentorshipAgreementPayload { agreement { id } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('MentorshipAgreementPayload');
  return result.agreement.id as string;
}

/** Accepts an agreement as `who` (the other side). */
export async function acceptAgreement(url: string, who: Member, agreementId: string): Promise<void> {
  const result = await mentorshipMutation(url, who, 'acceptMentorshipAgreement', { agreementId });
  expect(result.__typename, JSON.stringify(result)).toBe('MentorshipAgreementPayload');
}

/** An active mentorship with an ACCEPTED agreement (the mentor proposes, the mentee accepts). */
export async function agreedMentorship(
  url: string,
  mentee: Member,
  mentor: Member,
  options: RequestOptions & {
    mentorProfile?: Record<string, unknown> | false;
    agreement?: Record<string, unknown>;
  } = {},
): Promise<ActiveMentorship & { agreementId: string }> {
  const mentorship = await activeMentorship(url, mentee, mentor, options);
  const agreementId = await proposeAgreement(url, mentor, mentorship.id, options.agreement ?? {});
  await acceptAgreement(url, mentee, agreementId);
  return { ...mentorship, agreementId };
}

/** The row id inside a global ID (MentorshipRequest:…, Mentorship:…). */
export const rowIdOf = userIdOf;

/** A short unique tag for names. */
export function tag(): string {
  return randomBytes(3).toString('hex');
}
