import { z } from 'zod';
import type { Context } from '../../context.js';
import type { MentorProfile } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { nowMs } from '../../lib/clock.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { GroupRef, viewerRole } from '../groups/index.js';
import { audienceOf, PersonRef, skillNameInput } from '../people/index.js';
import {
  MentoringFormatEnum,
  MentorHelpKindEnum,
  MentorProfileRef,
  primeMentorAudience,
} from './mentor-profile.type.js';
import { canonicalLanguage } from './mentorship.inputs.js';
import { MATCH_REASON_KINDS, type MatchReason, type Perspective } from './suggestions.scoring.js';
import { maySeeMemberSuggestions } from './suggestions.policy.js';
import {
  DEFAULT_SUGGESTIONS,
  MAX_SUGGESTIONS,
  type Suggestion,
  type SuggestionFilter,
  suggestMentors,
} from './suggestions.service.js';

// "Find a mentor": mentorSuggestions for the viewer (optionally among one group's members), and
// Group.mentorSuggestionsFor, a PROGRAM group's owners and admins looking at a member's.

export const MatchReasonKindEnum = builder.enumType('MatchReasonKind', { values: MATCH_REASON_KINDS });

const MatchReasonRef = builder.objectRef<MatchReason>('MatchReason').implement({
  description: 'One reason a mentor is suggested, in words.',
  fields: (t) => ({
    kind: t.expose('kind', { type: MatchReasonKindEnum }),
    text: t.exposeString('text', { description: 'e.g. "3 of your 4 skills, 2 at expert level".' }),
  }),
});

export const MentorSuggestionRef = builder.objectRef<Suggestion>('MentorSuggestion').implement({
  fields: (t) => ({
    mentor: t.field({
      type: PersonRef,
      // The statement read the name; Person's other fields load (all at once) as for any person.
      resolve: (suggestion) => ({ id: suggestion.row.userId, name: suggestion.row.name }) as never,
    }),
    mentorProfile: t.field({
      type: MentorProfileRef,
      resolve: (suggestion) => profileOf(suggestion),
    }),
    score: t.float({
      description: 'Higher is a better match (about 0–110); comparable within one list only.',
      resolve: (suggestion) => suggestion.score,
    }),
    reasons: t.field({ type: [MatchReasonRef], resolve: (suggestion) => suggestion.reasons }),
  }),
});

function profileOf({ row }: Suggestion): MentorProfile {
  return {
    userId: row.userId,
    helpOffered: row.helpOffered,
    capacity: row.capacity,
    accepting: row.accepting,
    formats: row.formats,
    cadences: row.cadences,
    timeZone: row.timeZone,
    weeklyHours: row.weeklyHours ?? [],
    languages: row.languages,
    askScope: row.askScope,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    expertiseVisibility: row.expertiseVisibility,
    helpOfferedVisibility: row.helpOfferedVisibility,
    capacityVisibility: row.capacityVisibility,
    formatsVisibility: row.formatsVisibility,
    cadencesVisibility: row.cadencesVisibility,
    weeklyHoursVisibility: row.weeklyHoursVisibility,
    languagesVisibility: row.languagesVisibility,
    askScopeVisibility: row.askScopeVisibility,
  };
}

const MentorSuggestionFilter = builder.inputType('MentorSuggestionFilter', {
  fields: (t) => ({
    helpKind: t.field({ type: MentorHelpKindEnum, required: false, description: 'Offers this kind of help.' }),
    format: t.field({ type: MentoringFormatEnum, required: false, description: 'Meets in this format.' }),
    language: t.string({
      required: false,
      description: 'A BCP 47 tag; any region of the language matches ("pt" finds pt-BR).',
    }),
    skill: t.string({ required: false, description: 'A skill (name or slug) among the mentor’s expertise.' }),
  }),
});

const filterInput = z
  .object({
    helpKind: z.string().nullish(),
    format: z.string().nullish(),
    language: z
      .string()
      .trim()
      .nullish()
      .transform((value, context) => {
        if (!value) return null;
        const canonical = canonicalLanguage(value);
        if (canonical === null) {
          context.addIssue({ code: 'custom', message: 'Use a BCP 47 language tag, such as en, pt-BR or zh-Hant.' });
          return z.NEVER;
        }
        return canonical;
      }),
    skill: skillNameInput.nullish(),
  })
  .nullish();

const firstInput = z
  .number()
  .int()
  .min(1, 'Ask for at least 1 suggestion.')
  .max(MAX_SUGGESTIONS, `Ask for at most ${MAX_SUGGESTIONS} suggestions.`)
  .nullish();

function primeAudiences(ctx: Context, suggestions: Suggestion[]): Suggestion[] {
  // The statement knew whether each mentor shares a group with the viewer: MentorProfile's
  // fields need no lookup of their own.
  const viewerId = ctx.viewer?.id;
  for (const { row } of suggestions)
    primeMentorAudience(ctx, row.userId, audienceOf(viewerId, row.userId, row.sharesGroup));
  return suggestions;
}

async function suggestionsFor(
  ctx: Context,
  menteeId: string,
  groupId: string | null,
  first: number | null | undefined,
  filter: SuggestionFilter | null | undefined,
  perspective: Perspective,
) {
  return suggestMentors(ctx.db, menteeId, {
    groupId,
    filter: filter ?? {},
    first: first ?? DEFAULT_SUGGESTIONS,
    now: new Date(nowMs()),
    perspective,
  });
}

builder.queryField('mentorSuggestions', (t) =>
  t.field({
    type: [MentorSuggestionRef],
    authScopes: { member: true },
    description:
      'Mentors suggested to you, best first, each with its reasons; empty until you save what you look for (saveMenteeNeeds). With groupId: only among that group’s members (you must be one).',
    args: {
      groupId: t.arg.id({ required: false }),
      first: t.arg.int({ required: false, validate: firstInput }),
      filter: t.arg({ type: MentorSuggestionFilter, required: false, validate: filterInput }),
    },
    resolve: async (_root, args, ctx) => {
      const viewerId = ctx.viewer!.id;
      let groupId: string | null = null;
      if (args.groupId != null) {
        groupId = decodeId(String(args.groupId), 'Group');
        // Only a member matches within a group: for anyone else it does not exist.
        if (!groupId || !(await viewerRole(ctx.db, groupId, viewerId))) throw new NotFoundError('That group');
      }
      const suggestions = await suggestionsFor(ctx, viewerId, groupId, args.first, args.filter, 'MENTEE');
      return primeAudiences(ctx, suggestions);
    },
  }),
);

builder.prismaObjectFields(GroupRef, (t) => ({
  mentorSuggestionsFor: t.field({
    type: [MentorSuggestionRef],
    nullable: true,
    select: { kind: true },
    description:
      'A PROGRAM group’s owners and admins: the suggestions a member of the group gets within it (seen, never changed). null for anyone else, another kind of group, or someone not a member.',
    args: {
      memberId: t.arg.id(),
      first: t.arg.int({ required: false, validate: firstInput }),
    },
    resolve: async (group, args, ctx) => {
      const viewerId = ctx.viewer?.id;
      if (!viewerId) return null;
      if (!maySeeMemberSuggestions(group, await viewerRole(ctx.db, group.id, viewerId))) return null;
      const memberId = decodeId(String(args.memberId), 'Person');
      if (!memberId || !(await viewerRole(ctx.db, group.id, memberId))) return null;
      return suggestionsFor(ctx, memberId, group.id, args.first, null, 'ADMIN');
    },
  }),
}));
