import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishNotifications } from '../../server/src/modules/notifications/index.js';
import {
  type ChatMember,
  CONVERSATION_EVENTS,
  channelsOf,
  chatMembers,
  codesOf,
  conversation as conversationAs,
  createChannel,
  directConversation,
  type GraphQLErrorLike,
  groupWithMembers,
  memberSocket,
  openStream,
  type Stream,
  type StreamEnd,
  send,
  setPresenceOnSocket,
  setTyping,
  WAIT_MS,
  warmUp,
} from '../support/chat.js';
import { apiCreateEvent } from '../support/events.js';
import { createGroup, mutate, userIdOf } from '../support/groups.js';
import { notifyGroupKind } from '../support/notifications.js';
import { book, cancelBooking, publishOneSlot } from '../support/office-hours.js';
import { repoRoot } from '../support/paths.js';
import { startServer, type TestServer } from '../support/server.js';

// Every live event is resolved with its recipient's access at delivery time. For every subscription
// of `type Subscription` and every kind of access loss, the one who lost access subscribes before
// the loss (with a selection that reaches names, slugs, bodies and roles), the others keep talking,
// typing, coming and going and scheduling after it, and nothing of what was lost arrives: the
// schema's null where it promises one, otherwise no event. A sentinel in a group the member keeps
// shows each stream was still live after everything the others did.

type Live =
  | 'conversationEvents'
  | 'inboxEvents'
  | 'notificationEvents'
  | 'presenceChanges'
  | 'typingIndicators'
  | 'viewerSessionRevoked'
  | 'mentorshipActivity'
  | 'officeHoursActivity'
  | 'introductionEvents';
const LIVE: readonly Live[] = [
  'conversationEvents',
  'inboxEvents',
  'notificationEvents',
  'presenceChanges',
  'typingIndicators',
  'viewerSessionRevoked',
  'mentorshipActivity',
  'officeHoursActivity',
  'introductionEvents',
];

type Loss = 'leave' | 'removal' | 'ban' | 'group made secret' | 'DM left';
const LOSSES: readonly Loss[] = ['leave', 'removal', 'ban', 'group made secret', 'DM left'];

const GROUP = 'id name slug visibility viewerRole viewerStatus memberCount';

/** What the web app asks of every inbox event (web/src/features/chat/documents.ts). */
const WEB_INBOX = /* GraphQL */ `subscription { inboxEvents { totalUnread conversationId conversation {
  id kind title name topic isDefault lastSeq lastMessageAt unreadCount unreadMentionCount viewerLastReadSeq
  viewerCanModerate group { id slug name viewerCanCreateChannels } participants { id name initials }
} } }`;

const DOCUMENTS: Record<Exclude<Live, 'conversationEvents' | 'officeHoursActivity'>, string> = {
  // The fields the issue saw resolved after a removal: name, group name and slug, bodies, role.
  inboxEvents: /* GraphQL */ `subscription { inboxEvents { conversationId totalUnread conversation {
    id kind name title topic lastSeq unreadCount viewerCanModerate
    group { ${GROUP} } messages(last: 5) { edges { node { id body author { id name } } } }
  } } }`,
  notificationEvents: /* GraphQL */ `subscription { notificationEvents { unreadCount notification {
    id kind text href subjectId actor { id name } group { ${GROUP} } event { id title }
  } } }`,
  presenceChanges: 'subscription { presenceChanges { status person { id name } } }',
  typingIndicators:
    'subscription T($conversationId: ID!) { typingIndicators(conversationId: $conversationId) { conversationId typing person { id name } } }',
  viewerSessionRevoked: 'subscription { viewerSessionRevoked { reason } }',
  mentorshipActivity:
    'subscription { mentorshipActivity { kind request { id message group { name slug } } mentorship { id conversation { id } } } }',
  introductionEvents:
    'subscription { introductionEvents { introduction { id state reason presentation requester { name } target { name } } } }',
};

/** A series' slots, live: the place and the attendees are what a member of the group may see. */
const OFFICE_HOURS_ACTIVITY = /* GraphQL */ `subscription ($id: ID!) { officeHoursActivity(officeHoursId: $id) {
  slot { id seatsTaken onlineUrl location attendees { id name } officeHours { id topic description } }
} }`;

interface GroupSeen {
  id: string;
  name: string;
  slug: string;
  viewerRole: string | null;
  viewerStatus: string;
}
interface InboxItem {
  conversationId: string;
  conversation: { id: string; lastSeq: number; group: GroupSeen | null } | null;
}
interface NotificationItem {
  unreadCount: number;
  notification: { kind: string; subjectId: string | null; group: GroupSeen | null } | null;
}
interface PresenceItem {
  status: string;
  person: { id: string };
}

interface After {
  /** Everything delivered from just before the loss on (the streams were quiet then). */
  items: unknown[];
  errors: GraphQLErrorLike[];
  end: StreamEnd | null;
}

interface Outcome {
  after: Record<Live, After> & { inboxAsTheWebAppAsks: After };
  /** Strings of what was lost (channel names and topics, message bodies; a secret group's name and slug). */
  lostStrings: string[];
  /** Conversations the member can no longer see. */
  lostConversations: string[];
  /** The group the member left / was removed or banned from / that went secret (null: a DM). */
  lostGroup: string | null;
  /** Whose presence the member saw only through what was lost. */
  witness: string;
  /** Whether the member could subscribe to the lost conversation before the loss. */
  hadConversation: boolean;
  /** Whether the member could follow the lost group's office hours before the loss (none for a DM). */
  hadOfficeHours: boolean;
}

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
});

const tagged = (what: string) => `${what}-${randomBytes(4).toString('hex')}`;

/** Joins a PRIVATE group the way members do: a request, approved by the owner. */
async function admit(owner: ChatMember, member: ChatMember, groupId: string): Promise<void> {
  const asked = await mutate(
    url,
    member,
    'requestToJoinGroup',
    { groupId },
    '... on JoinRequestPayload { joinRequest { id } }',
  );
  expect(asked.__typename, JSON.stringify(asked)).toBe('JoinRequestPayload');
  const requestId = (asked.joinRequest as { id: string }).id;
  const approved = await mutate(url, owner, 'approveJoinRequest', { requestId });
  expect(approved.__typename, JSON.stringify(approved)).toBe('JoinRequestPayload');
}

/** Asks to join and is declined: the member gets JOIN_REQUEST_DECLINED about the group. */
async function askAndBeDeclined(owner: ChatMember, member: ChatMember, groupId: string): Promise<void> {
  const asked = await mutate(
    url,
    member,
    'requestToJoinGroup',
    { groupId },
    '... on JoinRequestPayload { joinRequest { id } }',
  );
  expect(asked.__typename, JSON.stringify(asked)).toBe('JoinRequestPayload');
  const declined = await mutate(url, owner, 'declineJoinRequest', {
    requestId: (asked.joinRequest as { id: string }).id,
  });
  expect(declined.__typename, JSON.stringify(declined)).toBe('JoinRequestPayload');
}

/**
 * There is no API to leave a direct conversation yet: this takes the member out as a service
 * would (the participant row, then the `chat:access` nudge after commit).
 */
async function leaveDirectConversation(member: ChatMember, conversationGlobalId: string): Promise<void> {
  const { db, pubsub } = server.app.services;
  const userId = userIdOf(member.id);
  const conversationId = userIdOf(conversationGlobalId);
  await db.conversationParticipant.delete({ where: { conversationId_userId: { conversationId, userId } } });
  pubsub.publish('chat:access', { userId, groupId: null, conversationId });
}

/** The other side's socket, toggled AWAY/ONLINE: each toggle is one presence change. */
function presenceToggle(socket: Client) {
  let away = false;
  const toggle = async () => {
    away = !away;
    await setPresenceOnSocket(socket, away ? 'AWAY' : 'ONLINE');
    return away ? 'AWAY' : 'ONLINE';
  };
  return { toggle, last: () => (away ? 'AWAY' : 'ONLINE') };
}

async function runScenario(loss: Loss): Promise<Outcome> {
  const sockets: Client[] = [];
  const socketOf = (member: ChatMember) => {
    const client = memberSocket(server.wsUrl, member);
    sockets.push(client);
    return client;
  };
  try {
    const [owner, victim, witness, keeper] = await chatMembers(url, [
      'Olga Owner',
      'Vic Losing',
      'Wes Witness',
      'Kim Keeper',
    ]);
    // H: a group the member keeps. Its sentinels prove each stream was live after the loss.
    const kept = await groupWithMembers(url, keeper!, [victim!], { name: tagged('Kept group') });
    const lostStrings: string[] = [];
    const lost = (what: string) => {
      const text = tagged(what);
      lostStrings.push(text);
      return text;
    };

    // What the member loses: a PRIVATE group's two channels (or, outside, the group itself once
    // secret), or a DM.
    let conversation: string;
    let lostConversations: string[];
    let lostGroup: string | null = null;
    const secret = loss === 'group made secret';
    const inGroup = loss !== 'DM left';
    let group: { id: string; slug: string } | null = null;
    let plans: string | null = null;
    if (inGroup) {
      const name = secret ? lost('Quiet Circle') : tagged('Quiet Circle');
      const made = await createGroup(url, owner!, { name, visibility: 'PRIVATE' });
      group = made;
      lostGroup = made.id;
      if (secret) lostStrings.push(made.slug);
      await admit(owner!, witness!, made.id);
      if (!secret) await admit(owner!, victim!, made.id);
      const general = (await channelsOf(url, owner!, made.slug))?.find((channel) => channel.isDefault);
      if (!general) throw new Error('no #general');
      const created = await createChannel(url, owner!, {
        groupId: made.id,
        name: lost('plans'),
        topic: lost('Plans topic'),
      });
      if (!created.conversation) throw new Error(`createChannel failed: ${JSON.stringify(created)}`);
      plans = created.conversation.id;
      conversation = general.id;
      lostConversations = [general.id, plans];
      await send(url, witness!, plans, lost('Plans before'));
    } else {
      conversation = (await directConversation(url, witness!, [victim!])).id;
      lostConversations = [conversation];
    }
    await send(url, witness!, conversation, lost('Said before'));
    // Office hours for the lost group's members (its topic, place and link are what the member loses).
    const officeHours = group
      ? await publishOneSlot(url, owner!, {
          audience: 'GROUPS',
          groupIds: [group.id],
          topic: lost('Office hours'),
          description: lost('Office hours description'),
          location: lost('Room'),
        })
      : await publishOneSlot(url, keeper!, { audience: 'GROUPS', groupIds: [kept.id], topic: 'Kept office hours' });
    const hadOfficeHours = Boolean(group) && !secret;

    // The member's streams, all open before the loss.
    const victimSocket = socketOf(victim!);
    const streams = {
      conversationEvents: openStream<{ seq: number }>(
        victimSocket,
        CONVERSATION_EVENTS,
        { conversationId: conversation, afterSeq: 0 },
        'conversationEvents',
      ),
      inboxEvents: openStream<InboxItem>(victimSocket, DOCUMENTS.inboxEvents, {}, 'inboxEvents'),
      inboxAsTheWebAppAsks: openStream<InboxItem>(victimSocket, WEB_INBOX, {}, 'inboxEvents'),
      notificationEvents: openStream<NotificationItem>(
        victimSocket,
        DOCUMENTS.notificationEvents,
        {},
        'notificationEvents',
      ),
      presenceChanges: openStream<PresenceItem>(victimSocket, DOCUMENTS.presenceChanges, {}, 'presenceChanges'),
      typingIndicators: openStream<{ person: { id: string }; typing: boolean }>(
        victimSocket,
        DOCUMENTS.typingIndicators,
        { conversationId: conversation },
        'typingIndicators',
      ),
      viewerSessionRevoked: openStream<unknown>(
        victimSocket,
        DOCUMENTS.viewerSessionRevoked,
        {},
        'viewerSessionRevoked',
      ),
      mentorshipActivity: openStream<unknown>(victimSocket, DOCUMENTS.mentorshipActivity, {}, 'mentorshipActivity'),
      // The lost group's office hours (a DM's loss: the office hours of the group the member keeps).
      officeHoursActivity: openStream<unknown>(
        victimSocket,
        OFFICE_HOURS_ACTIVITY,
        { id: officeHours.officeHoursId },
        'officeHoursActivity',
      ),
      introductionEvents: openStream<unknown>(victimSocket, DOCUMENTS.introductionEvents, {}, 'introductionEvents'),
    } satisfies Record<Live | 'inboxAsTheWebAppAsks', Stream<unknown>>;
    const watched = [...LIVE, 'inboxAsTheWebAppAsks'] as const;

    const witnessPresence = presenceToggle(socketOf(witness!));
    const keeperPresence = presenceToggle(socketOf(keeper!));
    const hadConversation = !secret;

    // Before the loss, each stream shows what the member may see (the member's caches, if any, are
    // warm), and each is quiet before the loss: its last item is the last one in flight.
    if (hadConversation) {
      let last = 0;
      await warmUp(
        streams.inboxEvents,
        async () => (last = (await send(url, witness!, conversation, lost('Said while there'))).seq),
        (item) => item.conversation?.id === conversation && item.conversation.lastSeq === last,
        'the inbox shows the conversation',
      );
      await streams.conversationEvents.waitFor(
        (items) => items.some((event) => event.seq === last),
        'the conversation stream is live',
      );
      await streams.inboxAsTheWebAppAsks.waitFor(
        (items) => items.some((item) => item.conversation?.id === conversation && item.conversation.lastSeq === last),
        'the web app inbox shows the conversation',
      );
      await warmUp(
        streams.typingIndicators,
        () => setTyping(url, witness!, conversation, true),
        (item) => item.person.id === witness!.personId,
        'the member sees the witness typing',
      );
      await setTyping(url, witness!, conversation, false);
      await streams.typingIndicators.waitFor(
        (items) => items.some((item) => item.person.id === witness!.personId && !item.typing),
        'the witness stopped typing',
      );
      await warmUp(
        streams.presenceChanges,
        witnessPresence.toggle,
        (item) => item.person.id === witness!.personId && item.status === witnessPresence.last(),
        'the member sees the witness come and go',
      );
    } else {
      // An outsider of the PRIVATE group may not subscribe to its conversation, before as after.
      await streams.conversationEvents.waitForEnd();
      await streams.typingIndicators.waitForEnd();
    }
    let witnessBooking = '';
    if (hadOfficeHours) {
      await warmUp(
        streams.officeHoursActivity,
        async () => {
          // Retried until the stream is live: give the seat back before taking it again.
          if (witnessBooking) await cancelBooking(url, witness!, witnessBooking);
          witnessBooking = await book(url, witness!, officeHours.slotId);
        },
        () => true,
        'the member follows the group’s office hours',
      );
    } else if (secret) {
      // An outsider of the group may not follow its office hours, before as after.
      await streams.officeHoursActivity.waitForEnd();
    }
    if (group) {
      // A notification about the group, resolved in the stream's context (role and status).
      let eventId = '';
      await warmUp(
        streams.notificationEvents,
        async () => {
          if (secret) await askAndBeDeclined(owner!, victim!, group!.id);
          else eventId = (await apiCreateEvent(url, owner!, group!.id, { title: tagged('Meetup') })).id;
        },
        (item) =>
          item.notification?.group?.id === group!.id &&
          (secret ? item.notification.kind === 'JOIN_REQUEST_DECLINED' : item.notification.subjectId === eventId),
        'a notification about the group',
      );
      if (secret) {
        // An outsider's pending request (going secret cancels it).
        const asked = await mutate(url, victim!, 'requestToJoinGroup', { groupId: group.id });
        expect(asked.__typename, JSON.stringify(asked)).toBe('JoinRequestPayload');
      }
    } else {
      await warmUp(
        streams.notificationEvents,
        () => send(url, witness!, conversation, `Hey @[${victim!.name}](${victim!.personId}) ${lost('mention')}`),
        (item) => item.notification?.kind === 'MENTIONED',
        'a mention in the DM',
      );
    }
    if (hadConversation) {
      // Quiet before the loss: every stream has shown the last message said before it.
      const lastSeq = (await conversationAs(url, witness!, conversation))?.lastSeq ?? 0;
      for (const inbox of [streams.inboxEvents, streams.inboxAsTheWebAppAsks]) {
        await inbox.waitFor(
          (items) =>
            items.some((item) => item.conversation?.id === conversation && item.conversation.lastSeq >= lastSeq),
          'the inbox is up to date before the loss',
        );
      }
      await streams.conversationEvents.waitFor(
        (items) => items.some((event) => event.seq === lastSeq),
        'the conversation stream is up to date before the loss',
      );
    }
    const received = Object.fromEntries(
      watched.map((live) => [live, { items: streams[live].received.length, errors: streams[live].errors.length }]),
    ) as Record<(typeof watched)[number], { items: number; errors: number }>;

    // The loss.
    if (loss === 'leave') {
      expect((await mutate(url, victim!, 'leaveGroup', { groupId: group!.id })).__typename).toBe('GroupPayload');
    } else if (loss === 'removal' || loss === 'ban') {
      const result = await mutate(url, owner!, loss === 'ban' ? 'banMember' : 'removeMember', {
        groupId: group!.id,
        personId: victim!.personId,
      });
      expect(result.__typename, JSON.stringify(result)).toBe('GroupMemberPayload');
    } else if (secret) {
      const result = await mutate(url, owner!, 'updateGroup', { groupId: group!.id, visibility: 'SECRET' });
      expect(result.__typename, JSON.stringify(result)).toBe('GroupPayload');
    } else {
      await leaveDirectConversation(victim!, conversation);
    }

    // After it, the others go on: messages in every lost conversation, typing, presence, a mention
    // and (in the group) a new event.
    for (const id of lostConversations) await send(url, witness!, id, lost('Said after'));
    await send(url, witness!, conversation, `Still there @[${victim!.name}](${victim!.personId})? ${lost('ping')}`);
    await setTyping(url, witness!, conversation, true);
    await witnessPresence.toggle();
    if (hadOfficeHours) {
      // The witness gives the seat back and books it again: two changes of the lost group's slot.
      expect((await cancelBooking(url, witness!, witnessBooking)).__typename).toBe('BookingPayload');
      await book(url, witness!, officeHours.slotId);
    }
    if (group) {
      await apiCreateEvent(url, owner!, group.id, { title: tagged('Later meetup') });
      if (loss === 'leave' || loss === 'removal') {
        // Asking to come back, declined: a notification about a group the member still sees (PRIVATE),
        // in which they have no role any more.
        await askAndBeDeclined(owner!, victim!, group.id);
      }
      if (secret) {
        // A notification about the group that was still on its way when the group went secret.
        const created = await notifyGroupKind(server.app.services.db, 'JOIN_REQUEST_DECLINED', {
          actorId: userIdOf(owner!.id),
          groupId: userIdOf(group.id),
          recipientIds: [userIdOf(victim!.id)],
        });
        publishNotifications(server.app.services.pubsub, created);
      }
    }

    // Sentinels, after all of that, in the group the member keeps.
    const sentMark = streams.inboxEvents.received.length;
    const webMark = streams.inboxAsTheWebAppAsks.received.length;
    const sentinel = await send(url, keeper!, kept.general, 'sentinel');
    await streams.inboxAsTheWebAppAsks.waitFor(
      (items) =>
        items
          .slice(webMark)
          .some((item) => item.conversation?.id === kept.general && item.conversation.lastSeq >= sentinel.seq),
      'the web app inbox sentinel',
    );
    await streams.inboxEvents.waitFor(
      (items) =>
        items
          .slice(sentMark)
          .some((item) => item.conversation?.id === kept.general && item.conversation.lastSeq >= sentinel.seq),
      'the inbox sentinel',
    );
    const keptEvent = await apiCreateEvent(url, keeper!, kept.id, { title: 'Sentinel meetup' });
    await streams.notificationEvents.waitFor(
      (items) => items.some((item) => item.notification?.subjectId === keptEvent.id),
      'the notification sentinel',
    );
    const presenceMark = streams.presenceChanges.received.length;
    await warmUp(
      streams.presenceChanges,
      keeperPresence.toggle,
      (item) =>
        streams.presenceChanges.received.indexOf(item) >= presenceMark &&
        item.person.id === keeper!.personId &&
        item.status === keeperPresence.last(),
      'the presence sentinel',
    );
    if (hadConversation) await streams.conversationEvents.waitForEnd();

    const after = Object.fromEntries(
      watched.map((live) => {
        const stream = streams[live];
        return [
          live,
          {
            items: stream.received.slice(received[live].items),
            errors: stream.errors.slice(received[live].errors),
            end: null as StreamEnd | null,
          },
        ];
      }),
    ) as Outcome['after'];
    for (const live of watched) if (streams[live].hasEnded()) after[live].end = await streams[live].ended;
    return {
      after,
      lostStrings,
      lostConversations,
      lostGroup,
      witness: witness!.personId,
      hadConversation,
      hadOfficeHours,
    };
  } finally {
    while (sockets.length) await sockets.pop()!.dispose();
  }
}

/** Nothing of what was lost, anywhere in what the stream delivered after the loss, and no failure. */
function expectNothingLost(outcome: Outcome, live: keyof Outcome['after'], allowedCodes: string[] = []): void {
  const { items, errors } = outcome.after[live];
  const text = JSON.stringify(items);
  for (const lost of outcome.lostStrings) expect(text, `${live} delivered "${lost}"`).not.toContain(lost);
  expect(
    errors.filter((error) => !allowedCodes.includes(String(error.extensions?.code))),
    `${live}: errors`,
  ).toEqual([]);
}

/** Every event about a lost conversation says conversation: null (the schema's "drop it"); nothing else of it. */
function expectDropped(outcome: Outcome, live: 'inboxEvents' | 'inboxAsTheWebAppAsks'): void {
  const items = outcome.after[live].items as InboxItem[];
  const aboutLost = items.filter((item) => outcome.lostConversations.includes(item.conversationId));
  for (const item of aboutLost) expect(item.conversation, `${live}: ${JSON.stringify(item)}`).toBeNull();
  if (outcome.hadConversation) {
    for (const id of outcome.lostConversations) {
      expect(
        aboutLost.some((item) => item.conversationId === id),
        `${live}: a drop event for ${id}`,
      ).toBe(true);
    }
  } else {
    expect(aboutLost).toEqual([]);
  }
  expectNothingLost(outcome, live);
}

/** What each subscription delivers after each loss (the report's table), and how it is checked. */
const EXPECTED: Record<Live, { delivers: (loss: Loss) => string; check(outcome: Outcome, loss: Loss): void }> = {
  conversationEvents: {
    delivers: (loss) =>
      loss === 'group made secret'
        ? 'nothing: an outsider is refused (NOT_FOUND) before and after'
        : 'ends with NOT_FOUND; no later event',
    check(outcome) {
      const after = outcome.after.conversationEvents;
      expect(codesOf(after.end?.errors ?? []), JSON.stringify(after)).toContain('NOT_FOUND');
      expect(after.items).toEqual([]);
      expectNothingLost(outcome, 'conversationEvents', ['NOT_FOUND']);
    },
  },
  inboxEvents: {
    delivers: (loss) =>
      loss === 'group made secret'
        ? 'no event about the group'
        : 'one event per lost conversation with conversation: null, then none',
    check(outcome) {
      expectDropped(outcome, 'inboxEvents');
      // The web app's selection as well (it asks for participants, which a hidden conversation
      // must not fail on).
      expectDropped(outcome, 'inboxAsTheWebAppAsks');
    },
  },
  notificationEvents: {
    delivers: (loss) =>
      loss === 'group made secret'
        ? 'a notification still on its way arrives as notification: null'
        : loss === 'DM left'
          ? 'no mention from the DM'
          : loss === 'ban'
            ? 'nothing about the group'
            : 'no mention, no new event; the declined re-request names the group with viewerRole: null',
    check(outcome, loss) {
      const items = outcome.after.notificationEvents.items as NotificationItem[];
      expect(items.filter((item) => item.notification?.kind === 'MENTIONED')).toEqual([]);
      expect(
        items.filter(
          (item) => item.notification?.kind === 'EVENT_CREATED' && item.notification.group?.id === outcome.lostGroup,
        ),
      ).toEqual([]);
      const aboutGroup = items.filter(
        (item) => outcome.lostGroup && item.notification?.group?.id === outcome.lostGroup,
      );
      for (const item of aboutGroup) {
        expect(item.notification!.group, JSON.stringify(item)).toMatchObject({ viewerRole: null });
        expect(item.notification!.group!.viewerStatus).not.toBe('MEMBER');
      }
      if (loss === 'leave' || loss === 'removal') {
        expect(aboutGroup.map((item) => item.notification!.kind)).toEqual(['JOIN_REQUEST_DECLINED']);
      }
      if (loss === 'group made secret') {
        expect(aboutGroup).toEqual([]);
        expect(items.some((item) => item.notification === null)).toBe(true);
      }
      expectNothingLost(outcome, 'notificationEvents');
    },
  },
  presenceChanges: {
    delivers: (loss) =>
      loss === 'group made secret' ? 'nothing of the others (shared nothing)' : "none of the witness's changes",
    check(outcome) {
      const items = outcome.after.presenceChanges.items as PresenceItem[];
      expect(items.filter((item) => item.person.id === outcome.witness)).toEqual([]);
      expectNothingLost(outcome, 'presenceChanges');
    },
  },
  typingIndicators: {
    delivers: (loss) =>
      loss === 'group made secret' ? 'nothing: an outsider is refused (NOT_FOUND)' : 'no event after the loss',
    check(outcome) {
      expect(outcome.after.typingIndicators.items).toEqual([]);
      if (!outcome.hadConversation)
        expect(codesOf(outcome.after.typingIndicators.end?.errors ?? [])).toContain('NOT_FOUND');
      expectNothingLost(outcome, 'typingIndicators', ['NOT_FOUND']);
    },
  },
  viewerSessionRevoked: {
    delivers: () => 'no event (the session is not revoked)',
    check(outcome) {
      expect(outcome.after.viewerSessionRevoked.items).toEqual([]);
      expect(outcome.after.viewerSessionRevoked.end).toBeNull();
      expectNothingLost(outcome, 'viewerSessionRevoked');
    },
  },
  // The member is in no mentorship here: nothing of the group or conversation they lost comes this way
  // (mentorship-requests.test.ts shows what it delivers, and that a nudge about another's request is dropped).
  mentorshipActivity: {
    delivers: () => 'no event (no request or mentorship of theirs changed)',
    check(outcome) {
      expect(outcome.after.mentorshipActivity.items).toEqual([]);
      expect(outcome.after.mentorshipActivity.end).toBeNull();
      expectNothingLost(outcome, 'mentorshipActivity');
    },
  },
  // Checked for every event: the group's seat changes stop reaching a member who left it.
  officeHoursActivity: {
    delivers: (loss) =>
      loss === 'group made secret'
        ? 'nothing: an outsider is refused (NOT_FOUND) before and after'
        : loss === 'DM left'
          ? 'no event (the kept group’s office hours did not change)'
          : 'no event about the lost group’s office hours',
    check(outcome) {
      expect(outcome.after.officeHoursActivity.items).toEqual([]);
      if (outcome.hadOfficeHours) expect(outcome.after.officeHoursActivity.end).toBeNull();
      else if (outcome.lostGroup)
        expect(codesOf(outcome.after.officeHoursActivity.end?.errors ?? [])).toContain('NOT_FOUND');
      expectNothingLost(outcome, 'officeHoursActivity', ['NOT_FOUND']);
    },
  },
  // The member is in no introduction here (introductions-*.test.ts show what it delivers to whom).
  introductionEvents: {
    delivers: () => 'no event (no introduction of theirs changed)',
    check(outcome) {
      expect(outcome.after.introductionEvents.items).toEqual([]);
      expect(outcome.after.introductionEvents.end).toBeNull();
      expectNothingLost(outcome, 'introductionEvents');
    },
  },
};

describe('live events after losing access', () => {
  it('covers every subscription of the schema', () => {
    const schema = buildSchema(fs.readFileSync(path.join(repoRoot, 'server/schema.graphql'), 'utf8'));
    expect(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).sort()).toEqual([...LIVE].sort());
  });

  describe.each(LOSSES)('after %s', (loss) => {
    let outcome: Outcome;
    beforeAll(async () => {
      outcome = await runScenario(loss);
    }, 6 * WAIT_MS);

    it.each(LIVE.map((live) => [live, EXPECTED[live].delivers(loss)] as const))('%s: %s', (live) => {
      EXPECTED[live].check(outcome, loss);
    });
  });
});
