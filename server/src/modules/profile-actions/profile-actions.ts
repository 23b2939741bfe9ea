import type { Context } from '../../context.js';
import { now as clockNow } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { directMessageRefusedWith } from '../chat/index.js';
import { introductionOptions } from '../introductions/index.js';
import { type AskRefusal, askRefusals } from '../mentorship/index.js';
import { hostsListingOfficeHours } from '../office-hours/index.js';
import { blockFactsWith, PersonRef } from '../people/index.js';

// What the viewer can do from a person's profile or directory card, each with the reason in words
// when they cannot. Nothing is decided here: each answer is the owning module's own rule, asked
// ahead (chat's direct-message refusal, mentorship's askRefusals, the office hours the host lists
// for the viewer, introductions' brokers), so the mutation behind each button refuses exactly
// when this says no. This file only chooses the words, and never tells who blocked whom: a block
// the viewer made is theirs to be told; a block by the other reads as that action's ordinary "no".
//
// Batched per request: every Person.viewerActions resolved in one tick (a page of the directory)
// is answered together, in a fixed number of statements for the whole page (introductions add
// brokerConnections' few for each person still open to the viewer).

export interface ActionAnswer {
  available: boolean;
  reason: string | null;
}

export interface ViewerActions {
  message: ActionAnswer;
  requestMentorship: ActionAnswer;
  bookOfficeHours: ActionAnswer;
  askIntroduction: ActionAnswer;
}

const yes: ActionAnswer = { available: true, reason: null };
const no = (reason: string): ActionAnswer => ({ available: false, reason });

function everyAction(answer: ActionAnswer): ViewerActions {
  return { message: answer, requestMentorship: answer, bookOfficeHours: answer, askIntroduction: answer };
}

/** A refusal to ask a mentor, in words about them. A block by them reads as a paused mentor. */
function mentorshipWords(refusal: AskRefusal, name: string, pendingLimit: number): string {
  switch (refusal) {
    case 'NOT_A_MENTOR':
      return `${name} doesn’t offer mentoring.`;
    case 'KEPT_APART':
    case 'MENTOR_NOT_ACCEPTING':
      return `${name} isn’t taking mentees right now.`;
    case 'ALREADY_MENTORED':
      return 'You’re already their mentee.';
    case 'REQUEST_ALREADY_PENDING':
      return `You asked ${name} already: your request is waiting for an answer.`;
    case 'MENTOR_AT_CAPACITY':
      return `${name} has no room for another mentee right now.`;
    case 'NOT_ALLOWED_TO_ASK':
      return `${name} takes mentees only from groups you’re not in.`;
    case 'PENDING_REQUEST_LIMIT':
      return `You have ${pendingLimit} requests waiting for an answer: withdraw one or wait for an answer first.`;
  }
}

interface Person {
  id: string;
  name: string;
}

/** The viewer's actions toward each of `people` (none of them the viewer). */
export async function viewerActionsFor(
  ctx: Pick<Context, 'db' | 'env'>,
  viewerId: string,
  people: readonly Person[],
): Promise<Map<string, ViewerActions>> {
  const ids = people.map((person) => person.id);
  const limit = ctx.env.MENTORSHIP_MAX_PENDING_REQUESTS;
  const [blocks, noDirect, mentoring, hosting, introductions] = await Promise.all([
    blockFactsWith(ctx.db, viewerId, ids),
    directMessageRefusedWith(ctx.db, viewerId, ids),
    askRefusals(ctx.db, viewerId, ids, limit),
    hostsListingOfficeHours(ctx.db, viewerId, ids, clockNow()),
    introductionOptions(ctx.db, viewerId, ids),
  ]);
  const result = new Map<string, ViewerActions>();
  for (const { id, name } of people) {
    // Only the viewer's own block is told (they can undo it); whether the other blocked them never is.
    const youBlocked = blocks.get(id)?.actorBlockedOther === true;
    const yours = `You blocked ${name}.`;
    const refusal = mentoring.get(id) ?? null;
    const introduction = introductions.get(id);
    result.set(id, {
      message: noDirect.has(id)
        ? no(youBlocked ? `${yours} Unblock them to send a message.` : `You can’t message ${name}.`)
        : yes,
      requestMentorship: refusal === null ? yes : no(youBlocked ? yours : mentorshipWords(refusal, name, limit)),
      bookOfficeHours: hosting.has(id)
        ? yes
        : no(youBlocked ? yours : `${name} has no office hours open to you right now.`),
      askIntroduction: introduction?.canAsk
        ? yes
        : no(
            youBlocked
              ? yours
              : blocks.has(id) || !introduction?.reason
                ? // A block by them: what a member who does not take introductions reads (introductions' words).
                  `${name} is not taking introductions right now.`
                : introduction.reason,
          ),
    });
  }
  return result;
}

// ── Person.viewerActions: every person of one tick in one batch ──────────

const loaders = new WeakMap<Context, (person: Person) => Promise<ViewerActions>>();

function loaderFor(ctx: Context, viewerId: string) {
  let load = loaders.get(ctx);
  if (load) return load;
  const cache = new Map<string, Promise<ViewerActions>>();
  let pending: Array<{ person: Person; resolve(value: ViewerActions): void; reject(error: unknown): void }> = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      const people = [...new Map(batch.map((item) => [item.person.id, item.person])).values()];
      const answers = await viewerActionsFor(ctx, viewerId, people);
      for (const item of batch) item.resolve(answers.get(item.person.id)!);
    } catch (error) {
      for (const item of batch) {
        cache.delete(item.person.id);
        item.reject(error);
      }
    }
  };
  load = (person: Person) => {
    const cached = cache.get(person.id);
    if (cached) return cached;
    const promise = new Promise<ViewerActions>((resolve, reject) => {
      pending.push({ person, resolve, reject });
      // Like DataLoader: once the sibling fields resolving now have all asked.
      if (pending.length === 1) void Promise.resolve().then(() => process.nextTick(() => void flush()));
    });
    cache.set(person.id, promise);
    return promise;
  };
  loaders.set(ctx, load);
  return load;
}

const PersonActionRef = builder.objectRef<ActionAnswer>('PersonAction').implement({
  description: 'Whether you can do one thing toward a member now, and why not.',
  fields: (t) => ({
    available: t.exposeBoolean('available'),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Why not, in words to show ("Mira isn’t taking mentees right now"); null when available.',
    }),
  }),
});

const PersonActionsRef = builder.objectRef<ViewerActions>('PersonActions').implement({
  description: 'What you can do from this member’s profile, each asked of the rule the action itself obeys.',
  fields: (t) => ({
    message: t.field({
      type: PersonActionRef,
      description: 'Send them a direct message.',
      resolve: (a) => a.message,
    }),
    requestMentorship: t.field({
      type: PersonActionRef,
      description: 'Ask them to mentor you.',
      resolve: (a) => a.requestMentorship,
    }),
    bookOfficeHours: t.field({
      type: PersonActionRef,
      description: 'Book their office hours: they list office hours for you with a time to come.',
      resolve: (a) => a.bookOfficeHours,
    }),
    askIntroduction: t.field({
      type: PersonActionRef,
      description: 'Ask someone to introduce you (whom: introductionBrokers).',
      resolve: (a) => a.askIntroduction,
    }),
  }),
});

builder.prismaObjectFields(PersonRef, (t) => ({
  viewerActions: t.field({
    type: PersonActionsRef,
    description: 'What you can do toward this member now, each with the reason when you cannot.',
    resolve: (person, _args, ctx) => {
      const viewerId = ctx.viewer?.id;
      if (!viewerId) return everyAction(no('Sign in first.'));
      if (person.id === viewerId) return everyAction(no('This is you.'));
      return loaderFor(ctx, viewerId)({ id: person.id, name: person.name });
    },
  }),
}));
