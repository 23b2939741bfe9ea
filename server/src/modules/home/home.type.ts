import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { now as clockNow } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { ConversationRef, visibleConversationsWhere } from '../chat/index.js';
import {
  EventRef,
  groupsWhereViewerCan,
  JoinRequestRef,
  visibleGroupsWhere,
  visibleJoinRequestsWhere,
} from '../groups/index.js';
import {
  INTRODUCTION_ACTIONS,
  IntroductionRef,
  introductionsInRoleWhere,
  requesterOpenWhere,
} from '../introductions/index.js';
import {
  CADENCE_DAYS,
  GoalRef,
  MentorshipRef,
  MentorshipRequestRef,
  requestActions,
  visibleMentorshipsWhere,
  visibleRequestsWhere,
} from '../mentorship/index.js';
import { loadNotificationPage, NotificationRef, notificationReader } from '../notifications/index.js';
import {
  BookingRef,
  OfficeHourSlotRef,
  OfficeHoursWaitlistEntryRef,
  visibleOfficeHoursWhere,
} from '../office-hours/index.js';
import { mayReachWhere, notKeptApartWhere } from '../people/index.js';

// The signed-in member's home: what needs them now, what is next, and their groups' recent activity.
// Every list is one or two statements, whatever it holds (nested fields are the types' own, loaded with
// the list through `...query` or batched by Prisma's findUnique), and every filter is the owning module's
// policy: this module decides only what counts as "waiting for you" and "next", never who may see what.

const DAY_MS = 86_400_000;
/** Lists are short: the home points at the full page of each (a link under every section). */
const NEEDS_YOU_LIMIT = 20;
const NEXT_LIMIT = 5;
/** A goal shows while due within this many days (or overdue); a check-in likewise. */
const DUE_SOON_DAYS = 14;
const CHECK_IN_SOON_DAYS = 3;
/** Channels with a message in this many days count as recent activity. */
const ACTIVITY_DAYS = 14;

interface HomeRoot {
  viewerId: string;
}

interface CheckInDue {
  mentorshipId: string;
  dueAt: Date;
  overdue: boolean;
}

/** `action`'s rule between the viewer and each of these people (a block hides their asks from the home). */
function notKeptApart(
  action: Parameters<typeof notKeptApartWhere>[0],
  viewerId: string,
  people: readonly string[],
): Record<string, Prisma.UserWhereInput> {
  return Object.fromEntries(people.map((relation) => [relation, notKeptApartWhere(action, viewerId)]));
}

const CheckInDueRef = builder.objectRef<CheckInDue>('HomeCheckInDue').implement({
  description: 'An ACTIVE mentorship whose agreed cadence asks for a check-in soon (or already).',
  fields: (t) => ({
    mentorship: t.prismaField({
      type: MentorshipRef,
      // findUnique: Prisma batches those of one tick into one statement.
      resolve: async (query, due, _args, ctx) =>
        (await ctx.db.mentorship.findUnique({ ...query, where: { id: due.mentorshipId } }))!,
    }),
    dueAt: t.field({ type: 'DateTime', resolve: (due) => due.dueAt }),
    overdue: t.exposeBoolean('overdue'),
  }),
});

/** Check-ins by each ACTIVE mentorship's accepted cadence: the last check-in (or the agreement's start) + the cadence. */
async function checkInsDue(db: DbClient, viewerId: string, at: Date): Promise<CheckInDue[]> {
  const mentorships = await db.mentorship.findMany({
    where: { AND: [visibleMentorshipsWhere(viewerId)], status: 'ACTIVE' },
    select: {
      id: true,
      agreements: {
        where: { status: 'ACCEPTED' },
        orderBy: { version: 'desc' },
        take: 1,
        select: { cadence: true, startsOn: true, acceptedAt: true },
      },
      checkIns: { orderBy: { heldAt: 'desc' }, take: 1, select: { heldAt: true } },
    },
    take: 100,
  });
  const due: CheckInDue[] = [];
  for (const mentorship of mentorships) {
    const agreement = mentorship.agreements[0];
    if (!agreement) continue;
    const began = Math.max(agreement.startsOn.getTime(), agreement.acceptedAt?.getTime() ?? 0);
    const since = Math.max(mentorship.checkIns[0]?.heldAt.getTime() ?? 0, began);
    const dueAt = new Date(since + CADENCE_DAYS[agreement.cadence] * DAY_MS);
    if (dueAt.getTime() - at.getTime() > CHECK_IN_SOON_DAYS * DAY_MS) continue;
    due.push({ mentorshipId: mentorship.id, dueAt, overdue: dueAt <= at });
  }
  return due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

const HomeRef = builder.objectRef<HomeRoot>('Home').implement({
  description:
    'Your home: what waits for you, what is next, and your groups’ recent activity. Each list is short and soonest (or oldest waiting) first; the full lists live on their own pages.',
  fields: (t) => ({
    // ── What needs you now ──
    joinRequests: t.prismaField({
      type: [JoinRequestRef],
      description: 'Requests to join groups where you decide them, oldest first (none from members you blocked).',
      resolve: (query, home, _args, ctx) =>
        ctx.db.joinRequest.findMany({
          ...query,
          where: {
            status: 'PENDING',
            AND: [
              visibleJoinRequestsWhere(home.viewerId),
              { group: groupsWhereViewerCan('approveRequests', home.viewerId) },
              // As the member's notifications do: none from a member they blocked.
              { user: mayReachWhere('notify', home.viewerId) },
            ],
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: NEEDS_YOU_LIMIT,
        }),
    }),
    mentorshipRequests: t.prismaField({
      type: [MentorshipRequestRef],
      description: 'Mentorship requests and program pairings waiting for your answer, oldest first.',
      resolve: async (query, home, _args, ctx) => {
        const viewerId = home.viewerId;
        const pending = await ctx.db.mentorshipRequest.findMany({
          where: {
            status: 'PENDING',
            AND: [
              visibleRequestsWhere(viewerId),
              { OR: [{ mentorId: viewerId }, { menteeId: viewerId }] },
              notKeptApart('requestMentorship', viewerId, ['mentor', 'mentee']),
            ],
          },
          select: {
            id: true,
            mentorId: true,
            menteeId: true,
            origin: true,
            status: true,
            mentorAgreedAt: true,
            menteeAgreedAt: true,
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: 100,
        });
        // Waiting for you: the policy's own answer to "may you accept it?" (not yet agreed, your side answers).
        const ids = pending
          .filter((request) => requestActions(request, viewerId).accept)
          .slice(0, NEEDS_YOU_LIMIT)
          .map((request) => request.id);
        return ctx.db.mentorshipRequest.findMany({
          ...query,
          where: { id: { in: ids } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
      },
    }),
    introductions: t.prismaField({
      type: [IntroductionRef],
      description:
        'Introductions whose next step is yours: to pass on (broker), to answer (target), or “did you connect?”, oldest first.',
      resolve: (query, home, _args, ctx) => {
        const viewerId = home.viewerId;
        // "Did you connect?" is asked INTRODUCTIONS_FOLLOW_UP_DAYS after acceptance (Introduction.followUpAskedAt).
        const asked = new Date(clockNow().getTime() - ctx.env.INTRODUCTIONS_FOLLOW_UP_DAYS * DAY_MS);
        const followUp = (role: 'REQUESTER' | 'TARGET', answer: 'requesterFollowUp' | 'targetFollowUp') => ({
          AND: [introductionsInRoleWhere(viewerId, role)],
          status: { in: [...INTRODUCTION_ACTIONS.answerFollowUp[role]] },
          closedAt: { lte: asked },
          [answer]: null,
        });
        return ctx.db.introduction.findMany({
          ...query,
          where: {
            OR: [
              {
                AND: [introductionsInRoleWhere(viewerId, 'BROKER')],
                status: { in: [...INTRODUCTION_ACTIONS.forward.BROKER] },
                ...notKeptApart('introduce', viewerId, ['requester', 'target']),
              },
              {
                AND: [introductionsInRoleWhere(viewerId, 'TARGET')],
                status: { in: [...INTRODUCTION_ACTIONS.accept.TARGET] },
                ...notKeptApart('introduce', viewerId, ['requester', 'broker']),
              },
              followUp('REQUESTER', 'requesterFollowUp'),
              followUp('TARGET', 'targetFollowUp'),
            ],
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: NEEDS_YOU_LIMIT,
        });
      },
    }),
    waitlistOffers: t.prismaField({
      type: [OfficeHoursWaitlistEntryRef],
      description: 'Seats offered to you from an office-hours waitlist: confirm before the offer runs out.',
      resolve: (query, home, _args, ctx) => {
        const at = clockNow();
        return ctx.db.officeHoursWaitlistEntry.findMany({
          ...query,
          where: {
            memberId: home.viewerId,
            status: 'OFFERED',
            OR: [{ offerExpiresAt: null }, { offerExpiresAt: { gt: at } }],
            slot: { startsAt: { gt: at }, cancelledAt: null, officeHours: visibleOfficeHoursWhere(home.viewerId) },
          },
          orderBy: [{ offerExpiresAt: 'asc' }, { id: 'asc' }],
          take: NEEDS_YOU_LIMIT,
        });
      },
    }),
    unreadMentions: t.field({
      type: [NotificationRef],
      description: 'Your unread mentions, newest first (only those you may still see).',
      resolve: async (_home, _args, ctx) => {
        const reader = notificationReader(ctx);
        if (!reader) return [];
        const page = await loadNotificationPage(reader, {
          direction: 'forward',
          size: NEEDS_YOU_LIMIT,
          afterId: null,
          beforeId: null,
          unreadOnly: true,
          kinds: ['MENTIONED'],
        });
        return page.rows;
      },
    }),

    // ── What is next ──
    bookings: t.prismaField({
      type: [BookingRef],
      description: 'Your next booked office-hours seats, soonest first.',
      resolve: (query, home, _args, ctx) =>
        ctx.db.booking.findMany({
          ...query,
          where: {
            attendeeId: home.viewerId,
            status: 'BOOKED',
            slot: {
              endsAt: { gt: clockNow() },
              cancelledAt: null,
              officeHours: visibleOfficeHoursWhere(home.viewerId),
            },
          },
          orderBy: [{ slot: { startsAt: 'asc' } }, { id: 'asc' }],
          take: NEXT_LIMIT,
        }),
    }),
    hostedSlots: t.prismaField({
      type: [OfficeHourSlotRef],
      description: 'The next sessions you host (office hours and mentorship sessions), soonest first.',
      resolve: (query, home, _args, ctx) =>
        ctx.db.officeHourSlot.findMany({
          ...query,
          where: {
            cancelledAt: null,
            endsAt: { gt: clockNow() },
            officeHours: { hostId: home.viewerId, status: 'ACTIVE' },
          },
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
          take: NEXT_LIMIT,
        }),
    }),
    events: t.prismaField({
      type: [EventRef],
      description: 'Events you said you are going to, soonest first.',
      resolve: (query, home, _args, ctx) =>
        ctx.db.event.findMany({
          ...query,
          where: {
            cancelledAt: null,
            endsAt: { gt: clockNow() },
            rsvps: { some: { userId: home.viewerId, status: 'GOING' } },
            group: visibleGroupsWhere(home.viewerId),
          },
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
          take: NEXT_LIMIT,
        }),
    }),
    checkInsDue: t.field({
      type: [CheckInDueRef],
      description: `Your ACTIVE mentorships whose next check-in (by the agreed cadence) is due within ${CHECK_IN_SOON_DAYS} days or overdue, soonest first.`,
      resolve: (home, _args, ctx) => checkInsDue(ctx.db, home.viewerId, clockNow()),
    }),
    goalsDue: t.prismaField({
      type: [GoalRef],
      description: `ACTIVE goals of your ACTIVE mentorships due within ${DUE_SOON_DAYS} days or overdue, soonest first.`,
      resolve: (query, home, _args, ctx) =>
        ctx.db.goal.findMany({
          ...query,
          where: {
            status: 'ACTIVE',
            dueOn: { lte: new Date(clockNow().getTime() + DUE_SOON_DAYS * DAY_MS) },
            mentorship: { AND: [visibleMentorshipsWhere(home.viewerId)], status: 'ACTIVE' },
          },
          orderBy: [{ dueOn: 'asc' }, { id: 'asc' }],
          take: NEXT_LIMIT * 2,
        }),
    }),
    introductionsUnderway: t.prismaField({
      type: [IntroductionRef],
      description:
        'Introductions you asked for that are still open as you read them (a decline you may not learn of yet reads as open), newest first.',
      resolve: (query, home, _args, ctx) =>
        ctx.db.introduction.findMany({
          ...query,
          where: {
            AND: [
              introductionsInRoleWhere(home.viewerId, 'REQUESTER'),
              requesterOpenWhere(clockNow(), ctx.env.INTRODUCTIONS_STEP_DAYS),
            ],
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: NEXT_LIMIT,
        }),
    }),

    // ── Your groups ──
    groupActivity: t.prismaField({
      type: [ConversationRef],
      description: `Your groups' channels with messages in the last ${ACTIVITY_DAYS} days, most recent first.`,
      resolve: (query, home, _args, ctx) =>
        ctx.db.conversation.findMany({
          ...query,
          where: {
            AND: [visibleConversationsWhere(home.viewerId)],
            groupId: { not: null },
            lastMessageAt: { gt: new Date(clockNow().getTime() - ACTIVITY_DAYS * DAY_MS) },
          },
          orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
          take: NEXT_LIMIT,
        }),
    }),
  }),
});

builder.queryField('home', (t) =>
  t.field({
    type: HomeRef,
    authScopes: { member: true },
    description: 'Your home, signed in: what needs you now, what is next, and your groups’ recent activity.',
    resolve: (_root, _args, ctx) => ({ viewerId: ctx.viewer!.id }),
  }),
);
