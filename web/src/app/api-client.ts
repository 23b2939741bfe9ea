import { cacheExchange, type Cache, type CacheExchangeOpts } from '@urql/exchange-graphcache';
import type { Client as WsClient } from 'graphql-ws';
import schema from 'virtual:graphql-schema';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { graphql } from './graphql';
import { createLiveClient, subscribeWithRetry } from './live-connection';

export interface ApiClient {
  client: Client;
  // The session's WebSocket client, for the few operations that must manage their own subscription
  // (chat's conversationEvents resubscribes with its latest afterSeq after a reconnect) or belong to the
  // socket itself (presence).
  wsClient: WsClient;
  // Closes the WebSocket for good; the client must not be used afterwards.
  dispose(): void;
}

// Payloads and typed errors carry no id: keep them embedded in their parent instead of warning about them.
const unkeyed = () => null;
const keys: CacheExchangeOpts['keys'] = {
  AuthPayload: unkeyed,
  SignOutPayload: unkeyed,
  SessionRevoked: unkeyed,
  FieldError: unkeyed,
  ValidationError: unkeyed,
  SignUpStarted: unkeyed,
  IncorrectPasswordError: unkeyed,
  PasswordResetRequested: unkeyed,
  PasswordResetPayload: unkeyed,
  ChangePasswordPayload: unkeyed,
  InvalidCredentialsError: unkeyed,
  RateLimitedError: unkeyed,
  // Community (issue 3): payloads, typed errors and value objects without an id of their own.
  ConflictError: unkeyed,
  ForbiddenError: unkeyed,
  NotFoundError: unkeyed,
  UpdateProfilePayload: unkeyed,
  GroupPayload: unkeyed,
  JoinRequestPayload: unkeyed,
  InviteLinkPayload: unkeyed,
  GroupInvitePayload: unkeyed,
  GroupMemberPayload: unkeyed,
  EventPayload: unkeyed,
  MarkNotificationsReadPayload: unkeyed,
  NotificationPreferencePayload: unkeyed,
  NotificationEvent: unkeyed,
  NotificationPreference: unkeyed,
  PersonSkill: unkeyed,
  ProfileLink: unkeyed,
  ProfileFieldVisibility: unkeyed,
  GroupPermissions: unkeyed,
  GroupMember: unkeyed,
  GroupBan: unkeyed,
  EventAttendee: unkeyed,
  // Chat (issue 4).
  MessagePayload: unkeyed,
  ConversationPayload: unkeyed,
  SetTypingPayload: unkeyed,
  SetPresencePayload: unkeyed,
  ReactionSummary: unkeyed,
  ConversationEvent: unkeyed,
  InboxEvent: unkeyed,
  PresenceEvent: unkeyed,
  TypingEvent: unkeyed,
  MessageSearchHit: unkeyed,
  TextSegment: unkeyed,
  // Safety: blocks, reports and moderation.
  BlockPayload: unkeyed,
  BlockedMember: unkeyed,
  ReportPayload: unkeyed,
  ModerationPayload: unkeyed,
  ModerationAccess: unkeyed,
  // Mentorship (issue 10): MentorProfile is a node; these are its value objects and payloads.
  SaveMentorProfilePayload: unkeyed,
  SaveMenteeNeedsPayload: unkeyed,
  MentorSkill: unkeyed,
  MentorFieldVisibility: unkeyed,
  WorkingHours: unkeyed,
  MenteeNeeds: unkeyed,
  MenteeSkill: unkeyed,
  // Chat cards and the relationship's goals, check-ins, reviews (value objects and payloads).
  MessageCard: unkeyed,
  CardProgress: unkeyed,
  GoalPayload: unkeyed,
  GoalProgressPayload: unkeyed,
  CheckInPayload: unkeyed,
  CheckInFeedback: unkeyed,
  MentorshipReview: unkeyed,
  EndedMentorshipPayload: unkeyed,
  AchievementPayload: unkeyed,
  // Requests, the relationship and its agreement (their payloads and live event).
  MentorshipRequestPayload: unkeyed,
  CancelMyPendingRequestsPayload: unkeyed,
  MentorshipAgreementPayload: unkeyed,
  MentorshipActivityEvent: unkeyed,
  // Office hours (issue 11): value objects, payloads and the live event (series, slots, bookings and
  // waitlist entries are nodes).
  OfficeHoursRecurrence: unkeyed,
  OfficeHoursException: unkeyed,
  PublicOfficeHoursPage: unkeyed,
  SlotPreview: unkeyed,
  SessionTimeProposal: unkeyed,
  CalendarFeedInfo: unkeyed,
  CreateCalendarFeedPayload: unkeyed,
  RevokeCalendarFeedPayload: unkeyed,
  SetReminderLeadTimesPayload: unkeyed,
  BookingPayload: unkeyed,
  OfficeHoursWaitlistEntryPayload: unkeyed,
  OfficeHoursActivityEvent: unkeyed,
  // Introductions (issue 12): the payload, the live event and the brokers to ask (Introduction is a node).
  IntroductionPayload: unkeyed,
  IntroductionEvent: unkeyed,
  IntroductionBrokers: unkeyed,
  SuggestedBroker: unkeyed,
  // The member's home (issue 13): read afresh on every live event, never merged.
  Home: unkeyed,
  HomeCheckInDue: unkeyed,
};

const UnreadCountFields = graphql(`
  fragment UnreadCountFields on Viewer {
    id
    unreadNotificationCount
  }
`);

const TotalUnreadFields = graphql(`
  query TotalUnreadFields {
    totalUnread
  }
`);

interface InboxEventData {
  totalUnread: number;
  conversationId: string;
  // null when the viewer can no longer see it.
  conversation: { id: string } | null;
}

interface ConversationPayloadData {
  __typename: string;
  conversation?: { id: string };
}

// Whether a conversation is in any cached page of Query.conversations (the chat sidebar).
function isListedConversation(cache: Cache, conversationId: string): boolean {
  const key = cache.keyOfEntity({ __typename: 'Conversation', id: conversationId });
  for (const field of cache.inspectFields('Query')) {
    if (field.fieldName !== 'conversations') continue;
    const connection = cache.resolve('Query', field.fieldKey);
    if (typeof connection !== 'string') continue;
    const edges = cache.resolve(connection, 'edges');
    if (!Array.isArray(edges)) continue;
    for (const edge of edges) {
      if (typeof edge === 'string' && cache.resolve(edge, 'node') === key) return true;
    }
  }
  return false;
}

interface NotificationEventData {
  unreadCount: number;
  notification: { id: string; group?: { id: string } | null; event?: { id: string } | null } | null;
}

// cache.invalidate(entity, field) only hits the call without arguments; this hits every variant cached.
function invalidateField(cache: Cache, entity: string | { __typename: string; id: string }, fieldName: string) {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

function joinRequestDecided(payload: unknown, cache: Cache) {
  const group = (payload as { joinRequest?: { group?: { id: string } } } | undefined)?.joinRequest?.group;
  if (group) cache.invalidate({ __typename: 'Group', id: group.id });
}

interface IntroductionData {
  id: string;
  viewerRole: string;
  state: string;
}

// An introduction changed (by the viewer or live): it is merged by id, but the viewer's lists in that role
// may gain it (a forwarded request reaching the target) or lose it (the open lists behind the menu's count),
// so those are read again. An accepted one brings a new conversation into the chat sidebar.
function introductionChanged(cache: Cache, introduction: IntroductionData | null | undefined) {
  if (!introduction) return;
  for (const field of cache.inspectFields('Query')) {
    if (field.fieldName !== 'introductions') continue;
    if (field.arguments?.role !== introduction.viewerRole) continue;
    cache.invalidate('Query', field.fieldName, field.arguments);
  }
  if (introduction.state === 'ACCEPTED') invalidateField(cache, 'Query', 'conversations');
}

const INTRODUCTION_MUTATIONS = [
  'requestIntroduction',
  'forwardIntroduction',
  'declineIntroductionRequest',
  'acceptIntroduction',
  'declineIntroduction',
  'withdrawIntroduction',
  'answerIntroductionFollowUp',
  'leaveIntroductionConversation',
] as const;

const introductionMutationUpdates = Object.fromEntries(
  INTRODUCTION_MUTATIONS.map((name) => [
    name,
    (result: Record<string, unknown>, _args: unknown, cache: Cache) => {
      const payload = result[name] as { introduction?: IntroductionData } | undefined;
      introductionChanged(cache, payload?.introduction);
      // Asking closes the door to asking again about the same person (one open request per pair).
      if (name === 'requestIntroduction' && payload?.introduction)
        invalidateField(cache, 'Query', 'introductionBrokers');
    },
  ]),
);

// A live notification changes more than the bell: it is also the signal that something the member may be
// looking at changed (a request arrived, a request was decided, a seat freed up). Invalidating those
// entities makes every screen that shows them ask the server again, without each page subscribing itself.
const updates: CacheExchangeOpts['updates'] = {
  Mutation: {
    ...introductionMutationUpdates,
    // A new channel or DM (or a DM that was not listed yet) belongs in the sidebar: ask for it again.
    createChannel(result, _args, cache) {
      const payload = result.createChannel as ConversationPayloadData | undefined;
      if (payload?.conversation) invalidateField(cache, 'Query', 'conversations');
    },
    // A decided join request changes its group (members, their count, the requests waiting): ask again.
    approveJoinRequest(result, _args, cache) {
      joinRequestDecided(result.approveJoinRequest, cache);
    },
    declineJoinRequest(result, _args, cache) {
      joinRequestDecided(result.declineJoinRequest, cache);
    },
    startDirectConversation(result, _args, cache) {
      const payload = result.startDirectConversation as ConversationPayloadData | undefined;
      if (payload?.conversation && !isListedConversation(cache, payload.conversation.id))
        invalidateField(cache, 'Query', 'conversations');
    },
    // Reading a conversation lowers the total in the header; the inbox event that follows confirms it,
    // but the badge should not wait for the socket.
    markConversationRead(result, _args, cache) {
      const payload = result.markConversationRead as ConversationPayloadData | undefined;
      if (payload?.conversation) cache.invalidate('Query', 'totalUnread');
    },
    // A first mentor profile is a new node, and mentee needs have no id: neither reaches the viewer (or
    // the viewer's own person) by normalisation, so those fields are read again.
    saveMentorProfile(result, _args, cache) {
      const payload = result.saveMentorProfile as { __typename?: string } | undefined;
      if (payload?.__typename !== 'SaveMentorProfilePayload') return;
      const viewer = cache.resolve('Query', 'viewer');
      if (typeof viewer !== 'string') return;
      cache.invalidate(viewer, 'mentorProfile');
      const person = cache.resolve(viewer, 'person');
      if (typeof person === 'string') cache.invalidate(person, 'mentorProfile');
    },
    saveMenteeNeeds(result, _args, cache) {
      const payload = result.saveMenteeNeeds as { __typename?: string } | undefined;
      if (payload?.__typename !== 'SaveMenteeNeedsPayload') return;
      const viewer = cache.resolve('Query', 'viewer');
      if (typeof viewer === 'string') cache.invalidate(viewer, 'menteeNeeds');
    },
  },
  Subscription: {
    introductionEvents(result, _args, cache) {
      const event = result.introductionEvents as { introduction?: IntroductionData } | undefined;
      introductionChanged(cache, event?.introduction);
    },
    // The conversation's own fields (unread counts, last message) are merged by normalisation; the total
    // is written here. A conversation the sidebar does not list yet (a new DM), or one the viewer lost
    // access to (conversation null), makes the list reload.
    inboxEvents(result, _args, cache) {
      const event = result.inboxEvents as InboxEventData | undefined;
      if (!event) return;
      cache.updateQuery({ query: TotalUnreadFields }, () => ({ totalUnread: event.totalUnread }));
      if (!event.conversation || !isListedConversation(cache, event.conversation.id))
        invalidateField(cache, 'Query', 'conversations');
    },
    notificationEvents(result, _args, cache) {
      const event = result.notificationEvents as NotificationEventData | undefined;
      if (!event) return;
      const viewerKey = cache.resolve('Query', 'viewer');
      if (typeof viewerKey === 'string') {
        cache.writeFragment(UnreadCountFields, {
          id: cache.resolve(viewerKey, 'id'),
          unreadNotificationCount: event.unreadCount,
        });
        if (event.notification) invalidateField(cache, viewerKey, 'notifications');
      }
      const notification = event.notification;
      if (!notification) return;
      // By what it points at, not by kind, so a kind a module adds needs nothing here: a group's
      // requests, membership and events, an event's seats and the member's own lists are read again.
      if (notification.group) {
        const group = { __typename: 'Group', id: notification.group.id };
        cache.invalidate(group);
        if (typeof viewerKey === 'string') invalidateField(cache, viewerKey, 'groups');
        invalidateField(cache, 'Query', 'groups');
      }
      if (notification.event) cache.invalidate({ __typename: 'Event', id: notification.event.id });
    },
  },
};

function webSocketUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/graphql`;
}

// One client per session: the WebSocket's identity is fixed by the cookie at upgrade, and the cache holds
// what that member may see. ApiProvider builds a new one whenever the session changes. How the socket
// gets through drops and outages (reconnects, keep-alive, which closes are final): live-connection.ts.
export function createApiClient(): ApiClient {
  const live = createLiveClient(webSocketUrl());
  const wsClient = live.client;

  const client = new Client({
    url: '/graphql',
    // POST for everything: one code path, and member-specific responses never sit in an HTTP cache.
    preferGetMethod: false,
    fetchOptions: {
      credentials: 'include',
      // Yoga's CSRF prevention rejects requests without it (a cross-site form cannot set headers).
      headers: { 'x-graphql-yoga-csrf': '1' },
    },
    exchanges: [
      cacheExchange({ schema, keys, updates }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              // Started again after a passing failure (UNAVAILABLE, a dropped socket) instead of ending.
              const unsubscribe = subscribeWithRetry(wsClient, operation, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    wsClient,
    dispose: live.dispose,
  };
}
