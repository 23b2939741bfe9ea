import { ValidationError } from '../../lib/errors.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { setEmailDigest } from './digest.js';

// The member's email choices that are not per notification kind: how often the digest comes.
// (Per-kind email on/off is a notification preference: notifications' setNotificationPreference.)

const EmailDigestFrequencyEnum = builder.enumType('EmailDigestFrequency', {
  description: 'How often a digest of your unread notifications is emailed (08:00 in your time zone).',
  values: {
    OFF: { description: 'No digest.' },
    DAILY: { description: 'Every day.' },
    WEEKLY: { description: 'Every Monday.' },
  } as const,
});

builder.prismaObjectField(ViewerRef, 'emailDigest', (t) =>
  t.expose('emailDigest', { type: EmailDigestFrequencyEnum, description: 'Your digest email choice.' }),
);

const SetEmailDigestInput = builder.inputType('SetEmailDigestInput', {
  fields: (t) => ({ frequency: t.field({ type: EmailDigestFrequencyEnum }) }),
});

const SetEmailDigestPayload = builder.objectRef<{ userId: string }>('SetEmailDigestPayload').implement({
  fields: (t) => ({
    viewer: t.prismaField({
      type: ViewerRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
  }),
});

builder.mutationField('setEmailDigest', (t) =>
  t.field({
    type: SetEmailDigestPayload,
    description: 'Chooses how often your digest email comes; the next one is counted from now.',
    args: { input: t.arg({ type: SetEmailDigestInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const userId = ctx.viewer!.id;
      await ctx.db.$transaction((tx) => setEmailDigest(tx, userId, input.frequency));
      return { userId };
    },
  }),
);
