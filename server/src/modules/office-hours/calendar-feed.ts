import { randomBytes } from 'node:crypto';
import { builder } from '../../schema/builder.js';
import { now } from '../../lib/clock.js';
import { ViewerRef } from '../accounts/index.js';
import { feedTokenHash } from './calendar.route.js';

// A member's private calendar feed (GET /calendar/<token>.ics, calendar.route.ts): the address holds a
// random 32-byte secret shown once, by createCalendarFeed; only its SHA-256 is stored (CalendarFeed, one
// per member), so creating again rotates it (the old address stops at once) and revoking deletes it.
// The viewer sees only that a feed exists and since when.

export const CalendarFeedInfoRef = builder.prismaObject('CalendarFeed', {
  name: 'CalendarFeedInfo',
  description: 'Your calendar feed exists. Its secret address is shown only when it is made (createCalendarFeed).',
  fields: (t) => ({
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(ViewerRef, (t) => ({
  calendarFeed: t.relation('calendarFeed', {
    type: CalendarFeedInfoRef,
    nullable: true,
    description: 'Your private calendar feed, if you made one.',
  }),
}));

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

const CreateCalendarFeedPayload = builder.objectRef<{ url: string }>('CreateCalendarFeedPayload').implement({
  fields: (t) => ({
    url: t.exposeString('url', {
      description:
        'The secret address to subscribe to in a calendar app. Shown once; anyone who has it can read the feed.',
    }),
  }),
});

const RevokeCalendarFeedPayload = builder.objectRef<{ revoked: boolean }>('RevokeCalendarFeedPayload').implement({
  fields: (t) => ({
    revoked: t.exposeBoolean('revoked', { description: 'False when there was no feed.' }),
  }),
});

builder.mutationFields((t) => ({
  createCalendarFeed: t.field({
    type: CreateCalendarFeedPayload,
    description:
      'A private calendar address with your bookings, the office hours you host, your events and mentorship sessions. Making one again replaces the old address, which stops working.',
    resolve: async (_root, _args, ctx) => {
      const userId = ctx.viewer!.id;
      const token = newFeedToken();
      const tokenHash = feedTokenHash(token);
      await ctx.db.calendarFeed.upsert({
        where: { userId },
        create: { userId, tokenHash, createdAt: now() },
        update: { tokenHash, createdAt: now() },
      });
      return { url: new URL(`/calendar/${token}.ics`, ctx.env.PUBLIC_ORIGIN).toString() };
    },
  }),
  revokeCalendarFeed: t.field({
    type: RevokeCalendarFeedPayload,
    description: 'Your calendar feed stops at once; calendar apps subscribed to it get nothing more.',
    resolve: async (_root, _args, ctx) => {
      const { count } = await ctx.db.calendarFeed.deleteMany({ where: { userId: ctx.viewer!.id } });
      return { revoked: count > 0 };
    },
  }),
}));
