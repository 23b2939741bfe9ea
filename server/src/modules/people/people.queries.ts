import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { RateLimitedError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { hitRateLimit, type RateLimitRule } from '../../lib/rate-limit.js';
import { builder } from '../../schema/builder.js';
import { searchTextInput, skillFilterInput, skillPrefixInput, timeZoneFilterInput } from './people.inputs.js';
import { viewerIsInstanceAdmin } from './instance-admin.js';
import { fieldVisibleToEveryMemberWhere, personSeenWhere } from './people.policy.js';
import { searchPeople, type SearchHit } from './people.search.js';
import { OpenToEnum, SkillRef } from './person.fields.js';
import { PersonRef } from './person.type.js';
import { profileLoader } from './profile.loader.js';

/** Does this field's selection ask for `name` on its result (directly or through fragments)? */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, seen);
      const fragment = info.fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) return false;
      return visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, new Set()));
}

/** Directory searches per member; generous for a person paging through, tight for a scraper. */
export const PEOPLE_SEARCH_LIMIT: RateLimitRule = { name: 'people-search', limit: 120, windowMs: 60_000 };

const PeopleFilter = builder.inputType('PeopleFilter', {
  fields: (t) => ({
    text: t
      .string({ required: false, description: 'Words to find in names, headlines and skills (prefixes count).' })
      .validate(searchTextInput),
    skills: t
      .stringList({ required: false, description: 'Skill names or slugs; a member must have every one.' })
      .validate(skillFilterInput.nullish()),
    groupId: t.id({ required: false, description: 'group id: members of this group' }),
    openTo: t.field({ type: [OpenToEnum], required: false, description: 'Open to any of these.' }),
    timeZones: t
      .stringList({ required: false, description: 'IANA time zones; any of them.' })
      .validate(timeZoneFilterInput.nullish()),
  }),
});

builder.queryFields((t) => ({
  person: t.prismaField({
    type: PersonRef,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, ctx) => {
      const userId = decodeId(String(id), 'Person');
      if (!userId || !ctx.viewer) return null;
      return ctx.db.user.findFirst({ ...query, where: { id: userId, AND: [personSeenWhere(ctx.viewer.id)] } });
    },
  }),

  people: t.connection(
    {
      type: PersonRef,
      description: 'The member directory, for signed-in members. Exact skill matches first, then text rank, then name.',
      authScopes: { member: true },
      args: { filter: t.arg({ type: PeopleFilter, required: false }) },
      resolve: async (_root, args, ctx, info) => {
        const viewerId = ctx.viewer!.id;
        const verdict = await hitRateLimit(ctx.db, PEOPLE_SEARCH_LIMIT, viewerId);
        if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
        const filter = args.filter;
        const result = await searchPeople(
          ctx.db,
          viewerId,
          {
            text: filter?.text,
            skills: filter?.skills,
            groupAsked: filter?.groupId != null,
            groupId: filter?.groupId != null ? decodeId(String(filter.groupId), 'Group') : null,
            openTo: filter?.openTo,
            timeZones: filter?.timeZones,
          },
          args,
          // Counting every match is most of a search's work: only when the query asks for it.
          { count: selectsField(info, 'totalCount'), viewerIsAdmin: await viewerIsInstanceAdmin(ctx) },
        );
        // The search statement already read each profile: the Person fields answer from it.
        const loader = profileLoader(ctx);
        for (const hit of result.hits) loader.prime(hit.row);
        return {
          edges: result.hits.map((hit: SearchHit) => ({ cursor: hit.cursor, node: hit.row as never })),
          pageInfo: {
            hasNextPage: result.hasNextPage,
            hasPreviousPage: result.hasPreviousPage,
            startCursor: result.hits[0]?.cursor ?? null,
            endCursor: result.hits.at(-1)?.cursor ?? null,
          },
          totalCount: result.totalCount,
        };
      },
    },
    {
      name: 'PersonConnection',
      fields: (c) => ({
        totalCount: c.int({ resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount }),
      }),
    },
    { name: 'PersonEdge' },
  ),

  skills: t.prismaField({
    type: [SkillRef],
    description: 'skill names for autocomplete: the most used first',
    authScopes: { member: true },
    args: {
      prefix: t.arg.string({ required: false }).validate(skillPrefixInput.nullish()),
      first: t.arg.int({ required: false }),
    },
    resolve: (query, _root, { prefix, first }, ctx) => {
      const start = (prefix ?? '').trim().slice(0, 40);
      return ctx.db.skill.findMany({
        ...query,
        where: {
          ...(start
            ? {
                OR: [
                  { name: { startsWith: start, mode: 'insensitive' } },
                  { slug: { startsWith: start.toLowerCase() } },
                ],
              }
            : {}),
          // Only skills someone shows to every member: a skill kept private stays unknown.
          users: { some: { user: fieldVisibleToEveryMemberWhere('skills') } },
        },
        orderBy: [{ users: { _count: 'desc' } }, { name: 'asc' }],
        take: Math.min(Math.max(first ?? 10, 1), 50),
      });
    },
  }),
}));
