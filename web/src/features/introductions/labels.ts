import type { ResultOf } from '../../app/graphql';
import type { IntroductionFields } from './documents';

// Member-facing words for an introduction: a short state label for each of the three roles, and one
// sentence saying what happens next. The requester's states are already projected by the server (a
// target's decline and a lapse both read NOT_HAPPENED), so nothing here can tell them apart.

export type Introduction = ResultOf<typeof IntroductionFields>;
export type IntroductionState = Introduction['state'];
export type IntroductionRole = Introduction['viewerRole'];
export type FollowUpAnswer = NonNullable<Introduction['requesterFollowUp']>;

export const INTRODUCTIONS_PATH = '/introductions';

export function introductionPath(id: string): string {
  return `${INTRODUCTIONS_PATH}/${encodeURIComponent(id)}`;
}

export function introducePath(personId: string): string {
  return `/people/${encodeURIComponent(personId)}/introduce`;
}

// "Chen" from "Chen Wei": labels stay short in a list.
export function firstName(name: string): string {
  return name.trim().split(/\s+/u)[0] || name;
}

export type Tone = 'waiting' | 'mine' | 'done' | 'closed';

export interface StateWords {
  label: string;
  tone: Tone;
}

export const TONE_CLASS: Record<Tone, string> = {
  // Something the viewer must do: the warning colour draws the eye.
  mine: 'tag tag--warning',
  waiting: 'tag',
  done: 'tag tag--success',
  closed: 'tag introduction-tag--closed',
};

export function stateWords(introduction: Introduction): StateWords {
  const broker = firstName(introduction.broker.name);
  const target = firstName(introduction.target.name);
  const requester = firstName(introduction.requester.name);
  const { state } = introduction;
  if (state === 'ACCEPTED') return { label: 'Introduced', tone: 'done' };
  switch (introduction.viewerRole) {
    case 'REQUESTER':
      switch (state) {
        case 'REQUESTED':
          return { label: `Waiting for ${broker}`, tone: 'waiting' };
        case 'FORWARDED':
          return { label: `${broker} passed it on to ${target}`, tone: 'waiting' };
        case 'NOT_NOW':
        case 'BROKER_DECLINED':
          return { label: 'Not now', tone: 'closed' };
        case 'NOT_HAPPENED':
        case 'TARGET_DECLINED':
        case 'TARGET_EXPIRED':
          return { label: 'Did not happen', tone: 'closed' };
        case 'EXPIRED':
        case 'BROKER_EXPIRED':
          return { label: 'Expired', tone: 'closed' };
        case 'WITHDRAWN':
          return { label: 'Withdrawn', tone: 'closed' };
      }
      break;
    case 'BROKER':
      switch (state) {
        case 'REQUESTED':
          return { label: 'Waiting for you', tone: 'mine' };
        case 'FORWARDED':
          return { label: `Passed on — waiting for ${target}`, tone: 'waiting' };
        case 'BROKER_DECLINED':
        case 'NOT_NOW':
          return { label: 'You said not now', tone: 'closed' };
        case 'TARGET_DECLINED':
        case 'NOT_HAPPENED':
          return { label: `${target} declined`, tone: 'closed' };
        case 'BROKER_EXPIRED':
        case 'EXPIRED':
          return { label: 'Lapsed before you answered', tone: 'closed' };
        case 'TARGET_EXPIRED':
          return { label: `${target} did not answer in time`, tone: 'closed' };
        case 'WITHDRAWN':
          return { label: `Withdrawn by ${requester}`, tone: 'closed' };
      }
      break;
    case 'TARGET':
      switch (state) {
        case 'FORWARDED':
          return { label: 'Waiting for you', tone: 'mine' };
        case 'TARGET_DECLINED':
        case 'NOT_HAPPENED':
          return { label: 'You declined', tone: 'closed' };
        case 'TARGET_EXPIRED':
        case 'EXPIRED':
          return { label: 'Lapsed before you answered', tone: 'closed' };
        case 'WITHDRAWN':
          return { label: `Withdrawn by ${requester}`, tone: 'closed' };
        default:
          return { label: 'Closed', tone: 'closed' };
      }
  }
  return { label: 'Closed', tone: 'closed' };
}

// One sentence under the label: what happens next, or what it means now.
export function nextStep(introduction: Introduction): string | null {
  const broker = introduction.broker.name;
  const target = introduction.target.name;
  const requester = introduction.requester.name;
  const { state, viewerRole } = introduction;
  if (state === 'ACCEPTED') {
    if (viewerRole === 'BROKER') return `${requester} and ${target} can talk in the conversation you share.`;
    return 'The three of you share a conversation now.';
  }
  if (viewerRole === 'REQUESTER') {
    switch (state) {
      case 'REQUESTED':
        return `${broker} decides whether to pass your request on to ${target}.`;
      case 'FORWARDED':
        return `${target} decides whether to be introduced. You’ll hear either way.`;
      case 'NOT_NOW':
        return `${broker} can’t make this introduction right now.`;
      case 'NOT_HAPPENED':
        return 'This introduction did not happen. You can ask someone else later.';
      case 'EXPIRED':
        return `${broker} did not get to it in time.`;
      case 'WITHDRAWN':
        return 'You withdrew this request.';
      default:
        return null;
    }
  }
  if (viewerRole === 'BROKER') {
    switch (state) {
      case 'REQUESTED':
        return `Pass it on to ${target} with a note, or tell ${requester} not now.`;
      case 'FORWARDED':
        return `${target} decides whether to be introduced.`;
      case 'TARGET_DECLINED':
        return `${requester} is told only that it did not happen, never who declined or why.`;
      default:
        return null;
    }
  }
  if (state === 'FORWARDED')
    return `If you accept, a conversation opens for you, ${requester} and ${broker}. If you decline, only ${broker} learns it was you.`;
  return null;
}

export const FOLLOW_UP_ANSWERS: readonly { value: FollowUpAnswer; label: string }[] = [
  { value: 'YES', label: 'Yes' },
  { value: 'NOT_YET', label: 'Not yet' },
  { value: 'NO', label: 'No' },
];

export function followUpWords(answer: FollowUpAnswer | null): string {
  switch (answer) {
    case 'YES':
      return 'connected';
    case 'NOT_YET':
      return 'not yet';
    case 'NO':
      return 'did not connect';
    default:
      return 'no answer yet';
  }
}

export const ROLE_TABS: readonly { role: IntroductionRole; slug: string; label: string }[] = [
  { role: 'REQUESTER', slug: 'asked', label: 'I asked' },
  { role: 'BROKER', slug: 'introduce', label: 'To introduce' },
  { role: 'TARGET', slug: 'for-me', label: 'For me' },
];
