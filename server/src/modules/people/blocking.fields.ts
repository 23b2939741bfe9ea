import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { blockMember, unblockMember } from './blocking.service.js';
import { PersonRef } from './person.type.js';

// Blocking in the schema: block and unblock a member, the list of the people you blocked, and
// whether you blocked someone. Only the blocker ever sees a block: nothing here tells a member who
// blocked them (people/blocking.policy.ts).

const BlockedMemberRef = builder.prismaObject('MemberBlock', {
  name: 'BlockedMember',
  fields: (t) => ({
    person: t.relation('blocked', { type: PersonRef }),
    blockedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(ViewerRef, (t) => ({
  blockedPeople: t.relatedConnection('blocksMade', {
    type: BlockedMemberRef,
    description: 'The members you blocked, most recent first.',
    cursor: 'blockerId_blockedId',
    maxSize: 100,
    defaultSize: 50,
    query: () => ({ orderBy: [{ createdAt: 'desc' }, { blockedId: 'asc' }] }),
  }),
}));

builder.prismaObjectFields(PersonRef, (t) => ({
  viewerHasBlocked: t.boolean({
    description: 'You blocked this member. (Whether they blocked you is never shown.)',
    resolve: async (user, _args, ctx) => {
      if (!ctx.viewer || ctx.viewer.id === user.id) return false;
      // findUnique calls of one tick are batched by Prisma into one statement.
      const row = await ctx.db.memberBlock.findUnique({
        where: { blockerId_blockedId: { blockerId: ctx.viewer.id, blockedId: user.id } },
        select: { blockedId: true },
      });
      return row !== null;
    },
  }),
}));

const BlockMemberInput = builder.inputType('BlockMemberInput', { fields: (t) => ({ personId: t.id() }) });

const BlockPayload = builder.objectRef<{ personId: string }>('BlockPayload').implement({
  fields: (t) => ({
    person: t.prismaField({
      type: PersonRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.personId } }),
    }),
  }),
});

function personIdOf(value: unknown): string {
  const id = decodeId(value == null ? null : String(value), 'Person');
  if (!id) throw new NotFoundError('That member');
  return id;
}

builder.mutationFields((t) => ({
  blockMember: t.field({
    type: BlockPayload,
    description:
      'Stops their direct messages, mentions and notifications reaching you and hides each of you from the other’s suggestions. They are not told.',
    args: { input: t.arg({ type: BlockMemberInput }) },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const personId = personIdOf(input.personId);
      if (personId === ctx.viewer!.id) {
        throw new ValidationError([{ path: 'personId', message: 'You cannot block yourself.' }]);
      }
      await blockMember(ctx.db, ctx.viewer!.id, personId);
      return { personId };
    },
  }),
  unblockMember: t.field({
    type: BlockPayload,
    description: 'Undoes a block; what was stopped while it lasted stays undelivered.',
    args: { input: t.arg({ type: BlockMemberInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const personId = personIdOf(input.personId);
      await unblockMember(ctx.db, ctx.viewer!.id, personId);
      return { personId };
    },
  }),
}));
