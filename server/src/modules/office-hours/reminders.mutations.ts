import { z } from 'zod';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { ValidationError } from '../../lib/errors.js';
import { ViewerRef } from '../accounts/index.js';
import {
  MAX_REMINDER_LEAD,
  MAX_REMINDER_LEADS,
  MIN_REMINDER_LEAD,
  normaliseLeads,
  rescheduleMemberReminders,
} from './reminders.js';

// The member's reminder lead times: read on the viewer, set with setReminderLeadTimes, which makes
// their upcoming reminders again (as attendee and as host) in the same transaction.

builder.prismaObjectFields(ViewerRef, (t) => ({
  reminderLeadMinutes: t.field({
    type: ['Int'],
    description:
      'Minutes before a booked session (or office hours you host with bookings) you are reminded, longest first. Default 1440 and 60.',
    resolve: (user) => normaliseLeads(user.reminderLeadMinutes),
  }),
}));

const leadTimesInput = z.object({
  minutes: z
    .array(
      z
        .number()
        .int('Use whole minutes.')
        .min(MIN_REMINDER_LEAD, `A reminder comes at least ${MIN_REMINDER_LEAD} minutes ahead.`)
        .max(MAX_REMINDER_LEAD, 'A reminder comes at most 7 days ahead.'),
    )
    .max(MAX_REMINDER_LEADS, `Choose at most ${MAX_REMINDER_LEADS} reminders.`)
    .refine((list) => new Set(list).size === list.length, 'Each lead time once.'),
});

const SetReminderLeadTimesInput = builder.inputType('SetReminderLeadTimesInput', {
  fields: (t) => ({
    minutes: t.intList({
      description: `Up to ${MAX_REMINDER_LEADS} distinct lead times in minutes, each ${MIN_REMINDER_LEAD}–${MAX_REMINDER_LEAD} (7 days); [] for no reminders.`,
    }),
  }),
});

const SetReminderLeadTimesPayload = builder.objectRef<{ userId: string }>('SetReminderLeadTimesPayload').implement({
  fields: (t) => ({
    viewer: t.prismaField({
      type: ViewerRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
  }),
});

builder.mutationField('setReminderLeadTimes', (t) =>
  t.field({
    type: SetReminderLeadTimesPayload,
    description:
      'When you are reminded of sessions you booked and office hours you host with bookings; your upcoming reminders follow at once.',
    args: { input: t.arg({ type: SetReminderLeadTimesInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const parsed = leadTimesInput.safeParse(input);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const userId = ctx.viewer!.id;
      const leads = normaliseLeads(parsed.data.minutes);
      await ctx.db.$transaction(async (tx) => {
        // One change of a member's lead times at a time: the previous ones read here are the ones
        // whose jobs are pending.
        const rows = await tx.$queryRaw<Array<{ reminderLeadMinutes: number[] }>>`
          SELECT "reminderLeadMinutes" FROM "User" WHERE "id" = ${userId}::uuid FOR NO KEY UPDATE`;
        const previous = rows[0]?.reminderLeadMinutes ?? [];
        await tx.user.update({ where: { id: userId }, data: { reminderLeadMinutes: leads } });
        await rescheduleMemberReminders(tx, userId, previous);
      });
      return { userId };
    },
  }),
);
