import type { Db } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { IntroductionFollowUpAnswer, IntroductionStatus } from '../generated/prisma/enums.js';
import { nowMs } from '../lib/clock.js';
import { uuidv7 } from '../lib/ids.js';
import { cardBody, type MessageCard } from '../modules/chat/chat.cards.js';
import { createIntroductionConversation } from '../modules/chat/index.js';
import { scheduleFollowUp, scheduleStepExpiry, subjectOf } from '../modules/introductions/introductions.jobs.js';
import {
  introductionDeclined,
  introductionFollowUp,
  introductionForwarded,
  introductionPath,
  introductionRequested,
} from '../modules/introductions/introductions.notifications.js';
import { type CreatedNotification, notify } from '../modules/notifications/index.js';

// Demo introductions among the demo members (demo-data.ts), after the groups, chat, profiles and
// mentoring seeds, one in every state:
// - Ada (the demo login) has one to broker (Finn asks her to introduce him to Kwame) and one waiting
//   for her answer (Julia forwards Elif's request to her); she asked Julia for one to Divya, accepted
//   four days ago (its three-way conversation has a message she has not read), and brokered Mateus's
//   to Priya, accepted weeks ago (both answered "not yet" to the follow-up; she can still leave its conversation);
// - a request Uwe has not got to yet; declined by the broker with and without a message for the
//   requester; declined by the target (with a note only the broker reads), once weeks ago and once
//   two days ago (its requester still reads it as forwarded until the target's step ends); lapsed at
//   the broker and at the target; withdrawn before and after it was forwarded;
// - follow-up answers on the accepted ones older than two weeks ("did you connect?").
// Notifications are seeded for what still waits on someone (the broker's or target's step, the
// broker told of the recent decline, the follow-ups asked), not for every closed step's history.
// Every one holds under the real rules (introductions.policy.ts): the broker shares a group the
// requester can see, a mentorship or a direct conversation with each of the two, the target takes
// introductions through that broker, and nobody involved has blocked anyone. Open ones expire by
// their job, accepted ones ask "did you connect?" by theirs, as the service schedules them.
// Idempotent: a (requester, broker, target) that already has an introduction is left alone. Times
// are relative to the run.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** INTRODUCTIONS_STEP_DAYS and INTRODUCTIONS_FOLLOW_UP_DAYS' defaults (env.ts). */
const STEP_DAYS = 7;
const FOLLOW_UP_DAYS = 14;
const DEMO_LOGIN_NAME = 'ada';

type Side = 'requester' | 'broker' | 'target';

interface IntroductionSeed {
  /** People by the local part of their demo address ("ada" for ada@guildhall.dev). */
  requester: string;
  broker: string;
  target: string;
  status: IntroductionStatus;
  /** When it was asked. */
  daysAgo: number;
  /** Days after asking that the broker forwarded it. */
  forwardedAfter?: number;
  /** Days after forwarding (or asking, when never forwarded) that it was answered or withdrawn. */
  closedAfter?: number;
  reason: string;
  hopes: string;
  /** How the broker presented the requester, when they edited it (otherwise the reason). */
  presentation?: string;
  brokerNote?: string;
  /** The broker's words to the requester on declining. */
  brokerMessage?: string;
  targetNote?: string;
  followUp?: { requester?: IntroductionFollowUpAnswer; target?: IntroductionFollowUpAnswer };
  /** The three-way conversation after the broker's opening card: hours after acceptance. */
  lines?: Array<{ by: Side; after: number; text: string }>;
  /** How many of the last messages by others Ada has not read. */
  adaUnread?: number;
}

const INTRODUCTIONS: IntroductionSeed[] = [
  // ── Ada's: one to broker, one waiting for her answer ──
  {
    // Finn is Ada's mentee; Ada and Kwame are both in the Berlin Tech Association and the program.
    requester: 'finn',
    broker: 'ada',
    target: 'kwame',
    status: 'REQUESTED',
    daysAgo: 1.1,
    reason:
      'I join my team’s on-call rotation next month and I have never been paged. Kwame writes about quieter pagers and error budgets, and I would love to hear how he learned to stay calm at 3 a.m.',
    hopes:
      'Half an hour on video before my first shift: what to read, what to practise, and what he wishes someone had told him.',
  },
  {
    // Julia mentored Elif last round and mentors Ada now.
    requester: 'elif',
    broker: 'julia',
    target: 'ada',
    status: 'FORWARDED',
    daysAgo: 3.6,
    forwardedAfter: 1.2,
    reason:
      'I have been offered the tech lead role for our payments squad. I have never led a team and payments are new to me too; Ada leads a payments platform team and mentors new leads.',
    hopes: 'One conversation about the first ninety days as a lead, and how she runs incident reviews.',
    presentation:
      'Elif is a Kotlin backend engineer I mentored last round: careful, direct, and very good at asking for feedback. She has just been offered the tech lead role for her start-up’s payments squad and would value an hour of your time on the first ninety days.',
    brokerNote:
      'Ada, I think you two would get on: Elif is exactly the kind of new lead your office hours are for, and she is already wrestling with the payments questions you wrote about last year. No pressure if your month is full.',
  },
  // ── Ada's closed ones: she asked for one, she brokered one ──
  {
    // Julia mentors Ada; Julia and Divya are TU Munich alumni (a public group) and in the program.
    requester: 'ada',
    broker: 'julia',
    target: 'divya',
    status: 'ACCEPTED',
    daysAgo: 8.3,
    forwardedAfter: 1.8,
    closedAfter: 2.1,
    reason:
      'Our fraud team wants to move the card-risk features from nightly batches to a streaming pipeline, and none of us has done it before. Divya has built exactly that kind of pipeline.',
    hopes:
      'An honest hour on what went wrong when she did it, and whether a streaming feature store is worth it at our size.',
    brokerNote:
      'Divya, this is Ada, my mentee and the engineer behind most of the payments platform her company runs on. She has a streaming question right up your street, and she is generous with her own time in return.',
    targetNote: 'Gladly. I owe the community a write-up of our migration anyway, so this is a good push.',
    lines: [
      {
        by: 'requester',
        after: 1.5,
        text: 'Thank you, Julia, and hello Divya! Would Thursday work? 11:00 in Lagos is 15:30 in Bengaluru.',
      },
      {
        by: 'target',
        after: 3,
        text: 'Thursday 15:30 is perfect. I will bring the diagram of our pipeline, warts and all.',
      },
      { by: 'broker', after: 5, text: 'Wonderful, you two. Tell me how it goes!' },
      {
        by: 'target',
        after: 70,
        text: 'As promised, the diagram: https://example.com/divya/streaming-pipeline.png. The red boxes are what I would do differently today.',
      },
    ],
    adaUnread: 1,
  },
  {
    // Mateus and Ada: the Launchpad alumni, the association, the program, their direct messages.
    requester: 'mateus',
    broker: 'ada',
    target: 'priya',
    status: 'ACCEPTED',
    daysAgo: 41,
    forwardedAfter: 0.6,
    closedAfter: 1.4,
    reason:
      'I would like to give my first lightning talk, about my first year as a developer after the bootcamp. Priya runs the Berlin TypeScript meetup and is always looking for speakers.',
    hopes: 'A slot at a future meetup, and tips on making five minutes actually useful.',
    brokerNote:
      'Priya, Mateus is one of our Launchpad alumni and has grown a lot this year. His notes on testing a legacy Express app were the best thing in our #general last month. I think he has a good five minutes in him.',
    targetNote: 'Yes! The spring line-up is still open.',
    lines: [
      {
        by: 'requester',
        after: 2,
        text: 'Thank you, Ada! Priya, I could talk about testing a legacy Express app as a junior. Does that fit?',
      },
      {
        by: 'target',
        after: 20,
        text: 'It fits perfectly. We plan the spring line-up in January; I will ping you then with a date.',
      },
      { by: 'broker', after: 22, text: 'Lovely, over to you two. Good luck, Mateus!' },
    ],
    followUp: { requester: 'NOT_YET', target: 'NOT_YET' },
  },
  // ── the others, one in every state ──
  {
    requester: 'valentina',
    broker: 'uwe',
    target: 'hana',
    status: 'REQUESTED',
    daysAgo: 2.4,
    reason:
      'Our analytics team is building dashboards for a fintech client and we keep guessing what the users need. Hana does UX research in fintech; I would like to learn how researchers and analysts can work together.',
    hopes: 'A short call, and if it goes well, a joint talk at the TU Munich alumni Stammtisch.',
  },
  {
    // Deepak and Yara are in the (secret) program, which Yara can see; Deepak and Hana are TU Munich alumni.
    requester: 'yara',
    broker: 'deepak',
    target: 'hana',
    status: 'ACCEPTED',
    daysAgo: 24,
    forwardedAfter: 0.8,
    closedAfter: 1.6,
    reason:
      'My thesis is about how people with low vision use banking apps, and I have only studied it from the university side. Hana researches fintech products for a living.',
    hopes:
      'To hear how an industry team recruits participants with disabilities, and whether she would review my study design.',
    brokerNote:
      'Hana, Yara is in our mentoring program and is one of the most thorough researchers I have met this year. Her thesis on low-vision banking is close to your fintech work. Would you be up for a chat?',
    targetNote: 'Happy to! Our team runs accessibility studies twice a year, so the timing is good.',
    lines: [
      {
        by: 'requester',
        after: 1,
        text: 'Thank you both! Hana, would a 30-minute call next week work? I am in Beirut, so your afternoons are my mornings.',
      },
      {
        by: 'target',
        after: 9,
        text: 'Tuesday 16:00 Tokyo time works for me. Could you send your study plan beforehand? I will bring our recruiting checklist.',
      },
      { by: 'broker', after: 10, text: 'Lovely. I will leave the rest to you two, enjoy!' },
      {
        by: 'requester',
        after: 150,
        text: 'Thank you for the call, Hana. I rewrote the recruiting section with your checklist; it is in the shared doc.',
      },
      {
        by: 'target',
        after: 160,
        text: 'It reads much better. Let’s talk again once your ethics approval comes through.',
      },
    ],
    followUp: { requester: 'YES', target: 'YES' },
  },
  {
    requester: 'zoltan',
    broker: 'bruno',
    target: 'samuel',
    status: 'BROKER_DECLINED',
    daysAgo: 10,
    closedAfter: 1.7,
    reason:
      'We are moving our observability stack to AWS next quarter, and I would like to ask Samuel how his teams plan the cut-over.',
    hopes: 'Thirty minutes on sequencing the migration and what to measure before and after.',
    brokerMessage:
      'Samuel is in the middle of a data-centre exit until the new year and asked me to hold introductions for now. Ask me again in January and I will gladly make it.',
  },
  {
    requester: 'laura',
    broker: 'xavier',
    target: 'priya',
    status: 'BROKER_DECLINED',
    daysAgo: 18,
    closedAfter: 2.9,
    reason:
      'I would like to propose a talk on writing API docs developers actually read for the Berlin TypeScript meetup.',
    hopes: 'To know whether the meetup takes talks about documentation, and when the next call for speakers opens.',
  },
  {
    requester: 'ibrahim',
    broker: 'quentin',
    target: 'divya',
    status: 'TARGET_DECLINED',
    daysAgo: 12,
    forwardedAfter: 0.9,
    closedAfter: 1.8,
    reason:
      'I am tuning PostgreSQL for a feature store and heard Divya’s team moved theirs off PostgreSQL. I would like to understand why.',
    hopes: 'A short call about their workload and what broke first.',
    brokerNote:
      'Divya, Ibrahim knows more about PostgreSQL query plans than anyone I know, and he is curious about your feature store move. Only if you have time.',
    targetNote:
      'Thank you, Quentin. I am heads-down on a platform launch until March and cannot give this the time it deserves. Happy to be asked again after that.',
  },
  {
    // Declined two days ago, inside the target's step: Gabriel still reads it as passed on, and
    // learns it did not happen only when the step runs out (as if Wanjiru had not answered).
    requester: 'gabriel',
    broker: 'rosa',
    target: 'wanjiru',
    status: 'TARGET_DECLINED',
    daysAgo: 3.9,
    forwardedAfter: 0.7,
    closedAfter: 1.1,
    reason:
      'I run a free weekend Android course for career changers, and most of my students ask me about the job search, which I am not good at. Wanjiru coaches engineers changing fields.',
    hopes: 'To ask whether she would give one session to my next cohort, or point me to material I could use.',
    brokerNote:
      'Wanjiru, Gabriel was in my Autumn 2024 cohort and now teaches one of his own, for free. His students would love to hear from you.',
    targetNote:
      'Rosa, I am fully booked with the program’s third round until spring and would rather not promise what I cannot give. It is not about Gabriel: ask me again in April.',
  },
  {
    requester: 'emeka',
    broker: 'bruno',
    target: 'kwame',
    status: 'BROKER_EXPIRED',
    daysAgo: 20,
    reason:
      'I am writing a threat model for our on-call tooling and would like an SRE’s view of where the sharp edges are. Kwame runs on-call at a streaming service.',
    hopes: 'An hour walking through their paging setup, under whatever confidentiality he needs.',
  },
  {
    requester: 'uwe',
    broker: 'quentin',
    target: 'priya',
    status: 'TARGET_EXPIRED',
    daysAgo: 30,
    forwardedAfter: 1.1,
    reason:
      'My team is moving a Java front end to TypeScript and nobody on it has done that before. Priya organises the Berlin TypeScript meetup and would know who has.',
    hopes: 'The names of two or three people who have led such a migration, or a chance to ask at the meetup.',
    brokerNote:
      'Priya, Uwe is a friend from the TU Munich alumni chapter here: twenty years of Java and now curious about TypeScript. He would value your view of the Berlin scene.',
  },
  {
    // Withdrawn before Rosa got to it: Wanjiru never saw it.
    requester: 'aisha',
    broker: 'rosa',
    target: 'wanjiru',
    status: 'WITHDRAWN',
    daysAgo: 9,
    closedAfter: 1.3,
    reason:
      'I am thinking about moving from mobile development into developer relations and would like to talk to Wanjiru about how engineers make that kind of switch.',
    hopes: 'One conversation about whether my background is a good fit, and what to try first.',
  },
  {
    // Withdrawn after Priya forwarded it (Chen found a vendor): Samuel was told.
    requester: 'chen',
    broker: 'priya',
    target: 'samuel',
    status: 'WITHDRAWN',
    daysAgo: 16,
    forwardedAfter: 0.7,
    closedAfter: 2.2,
    reason:
      'Our design system’s assets are served from an old data-centre CDN and I want to move them to the cloud before the holiday traffic. Samuel helps teams leave the data centre.',
    hopes: 'A short call on the migration plan and what to watch for with caching.',
    brokerNote:
      'Samuel, Chen leads our design system work and has a small but tricky CDN move. Fifteen minutes of your advice would save her weeks.',
  },
];

// ── writing ──────────────────────────────────────────────────────────────

type Tx = Prisma.TransactionClient;
interface Member {
  key: string;
  id: string;
  name: string;
}
type People = ReadonlyMap<string, Member>;

/** A small stable hash, so the minutes of each step are the same on every run. */
function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.codePointAt(0)!, 16777619);
  return h >>> 0;
}

interface Times {
  createdAt: number;
  forwardedAt: number | null;
  closedAt: number | null;
  expiresAt: number | null;
}

/** When each step happened, from the seed's days; a lapsed step closed when its expiry job ran. */
function timesOf(seed: IntroductionSeed, now: number): Times {
  const createdAt = now - seed.daysAgo * DAY - (hash(seed.reason) % 47) * MINUTE;
  const forwardedAt = seed.forwardedAfter === undefined ? null : createdAt + seed.forwardedAfter * DAY;
  const stepStart = forwardedAt ?? createdAt;
  const lapsed = seed.status === 'BROKER_EXPIRED' || seed.status === 'TARGET_EXPIRED';
  const open = seed.status === 'REQUESTED' || seed.status === 'FORWARDED';
  const closedAt = open ? null : lapsed ? stepStart + STEP_DAYS * DAY : stepStart + (seed.closedAfter ?? 1) * DAY;
  // As the service keeps it: the running step's deadline while open, none once closed, except a
  // target's decline, which keeps its step's deadline (and expiry job) until the requester is told.
  const deadline = stepStart + STEP_DAYS * DAY;
  const expiresAt = open || (seed.status === 'TARGET_DECLINED' && deadline > now) ? deadline : null;
  for (const at of [forwardedAt, closedAt]) {
    if (at !== null && at > now)
      throw new Error(`introductions seed: ${seed.requester}→${seed.target} is dated after now`);
  }
  if (open && expiresAt! <= now)
    throw new Error(`introductions seed: ${seed.requester}→${seed.target} has already lapsed`);
  return { createdAt, forwardedAt, closedAt, expiresAt };
}

/** When an accepted one asks "did you connect?" (its follow-up job's due time). */
const followUpAt = (t: Times) => t.closedAt! + FOLLOW_UP_DAYS * DAY;

/** Answers to "did you connect?", once it was asked: each a day or so later. */
function followUpOf(seed: IntroductionSeed, t: Times, now: number) {
  if (seed.status !== 'ACCEPTED' || followUpAt(t) > now) return {};
  const answeredAt = (hours: number) => new Date(Math.min(followUpAt(t) + hours * HOUR, now - MINUTE));
  return {
    requesterFollowUp: seed.followUp?.requester ?? null,
    requesterFollowUpAt: seed.followUp?.requester ? answeredAt(5 + (hash(seed.reason) % 20)) : null,
    targetFollowUp: seed.followUp?.target ?? null,
    targetFollowUpAt: seed.followUp?.target ? answeredAt(30 + (hash(seed.hopes) % 20)) : null,
  };
}

/** notify() dates its rows now: move them to when the step happened. */
async function backdate(tx: Tx, created: CreatedNotification[], at: number) {
  if (created.length === 0) return;
  await tx.notification.updateMany({
    where: { id: { in: created.map((n) => n.id) } },
    data: { createdAt: new Date(at) },
  });
}

async function seedIntroduction(tx: Tx, seed: IntroductionSeed, people: People, now: number): Promise<boolean> {
  const requester = people.get(seed.requester);
  const broker = people.get(seed.broker);
  const target = people.get(seed.target);
  if (!requester || !broker || !target) return false;
  const existing = await tx.introduction.count({
    where: { requesterId: requester.id, brokerId: broker.id, targetId: target.id },
  });
  if (existing > 0) return false;

  const t = timesOf(seed, now);
  const forwarded = t.forwardedAt !== null;
  const id = uuidv7(t.createdAt);
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  await tx.introduction.create({
    data: {
      id,
      requesterId: requester.id,
      brokerId: broker.id,
      targetId: target.id,
      status: seed.status,
      reason: seed.reason,
      hopes: seed.hopes,
      // The service stores the reason as the presentation when the broker forwards it unedited.
      presentation: forwarded ? (seed.presentation ?? seed.reason) : null,
      brokerNote: forwarded ? (seed.brokerNote ?? null) : null,
      brokerMessage: seed.brokerMessage ?? null,
      targetNote: seed.targetNote ?? null,
      expiresAt: at(t.expiresAt),
      forwardedAt: at(t.forwardedAt),
      closedAt: at(t.closedAt),
      ...followUpOf(seed, t, now),
      createdAt: new Date(t.createdAt),
    },
  });
  const subjectId = subjectOf(id);
  const data = { introductionId: id };

  // As the service leaves an open one: its step runs out by a job, and whoever must answer was told.
  if (seed.status === 'REQUESTED') {
    await scheduleStepExpiry(tx, id, new Date(t.expiresAt!));
    const told = await notify(tx, {
      kind: introductionRequested,
      recipientIds: [broker.id],
      actorId: requester.id,
      subjectId,
      data,
    });
    await backdate(tx, told, t.createdAt);
  }
  if (seed.status === 'FORWARDED') {
    await scheduleStepExpiry(tx, id, new Date(t.expiresAt!));
    // One each, saying whom it is for: the target is asked to answer, the requester told it was passed on.
    for (const [to, person] of [
      ['TARGET', target],
      ['REQUESTER', requester],
    ] as const) {
      const told = await notify(tx, {
        kind: introductionForwarded,
        recipientIds: [person.id],
        actorId: broker.id,
        subjectId,
        data: { ...data, to },
      });
      await backdate(tx, told, t.forwardedAt!);
    }
  }
  if (seed.status === 'TARGET_DECLINED') {
    // Only the broker hears of a decline at once (with the note); the requester, from the expiry
    // job at the step's end, as of a lapse. Once past it, that job has run.
    const told = await notify(tx, {
      kind: introductionDeclined,
      recipientIds: [broker.id],
      actorId: target.id,
      subjectId,
      data,
    });
    await backdate(tx, told, t.closedAt!);
    if (t.expiresAt !== null) await scheduleStepExpiry(tx, id, new Date(t.expiresAt));
  }
  if (seed.status === 'ACCEPTED') {
    await seedConversation(tx, seed, id, { requester, broker, target }, t.closedAt!, now);
    if (followUpAt(t) > now) {
      await scheduleFollowUp(tx, id, new Date(followUpAt(t)));
    } else {
      // Its follow-up job ran weeks ago: both were asked (rows as notify() writes them, without
      // queueing its emails again), and read it when they answered.
      await tx.notification.createMany({
        data: [
          [requester, seed.followUp?.requester],
          [target, seed.followUp?.target],
        ].map(([person, answered]) => ({
          recipientId: (person as Member).id,
          kind: introductionFollowUp.kind,
          subjectId,
          data: introductionFollowUp.data.parse(data) as Prisma.InputJsonValue,
          createdAt: new Date(followUpAt(t)),
          readAt: answered ? new Date(followUpAt(t) + HOUR) : null,
        })),
      });
    }
  }
  return true;
}

async function seedConversation(
  tx: Tx,
  seed: IntroductionSeed,
  introductionId: string,
  who: Record<Side, Member>,
  acceptedAt: number,
  now: number,
): Promise<void> {
  // The opening card, as the service posts it: from the broker, with their note.
  const card: MessageCard = {
    title: `${who.broker.name} introduced ${who.requester.name} and ${who.target.name}`,
    lines: seed.brokerNote ? [seed.brokerNote] : [],
    progress: null,
    href: introductionPath(introductionId),
    tone: 'SUCCESS',
  };
  const planned = [
    {
      at: acceptedAt,
      senderId: who.broker.id,
      clientId: `introduction:${introductionId}`,
      body: cardBody(card),
      card: card as MessageCard | null,
    },
    ...(seed.lines ?? []).map((line, i) => ({
      at: Math.min(acceptedAt + line.after * HOUR, now - MINUTE),
      senderId: who[line.by].id,
      clientId: `seed-${i + 2}`,
      body: line.text,
      card: null,
    })),
  ];
  // Strictly increasing times, so time order and seq order agree.
  for (let i = 1; i < planned.length; i += 1) {
    if (planned[i]!.at <= planned[i - 1]!.at) planned[i]!.at = planned[i - 1]!.at + MINUTE;
  }
  // Chat makes the three's conversation, as when the target accepts; dated to then.
  const conversationId = await createIntroductionConversation(tx, {
    requesterId: who.requester.id,
    brokerId: who.broker.id,
    targetId: who.target.id,
    createdById: who.target.id,
  });
  await tx.conversation.update({
    where: { id: conversationId },
    data: { createdAt: new Date(acceptedAt), lastSeq: planned.length, lastMessageAt: new Date(planned.at(-1)!.at) },
  });
  await tx.conversationParticipant.updateMany({ where: { conversationId }, data: { joinedAt: new Date(acceptedAt) } });
  const messageIds = planned.map((message) => uuidv7(message.at));
  await tx.message.createMany({
    data: planned.map((message, i) => ({
      id: messageIds[i]!,
      conversationId,
      seq: i + 1,
      senderId: message.senderId,
      clientId: message.clientId,
      body: message.body,
      card: message.card ?? undefined,
      createdAt: new Date(message.at),
    })),
  });
  await tx.conversationEvent.createMany({
    data: planned.map((message, i) => ({
      conversationId,
      seq: i + 1,
      kind: 'MESSAGE_ADDED' as const,
      messageId: messageIds[i]!,
      createdAt: new Date(message.at),
    })),
  });
  // Everyone has read everything, except the last few messages by others that Ada keeps unread.
  await tx.readMarker.createMany({
    data: [who.requester, who.broker, who.target].map((person) => {
      let lastReadSeq = planned.length;
      if (person.key === DEMO_LOGIN_NAME && seed.adaUnread) {
        const fromOthers = planned.flatMap((m, i) => (m.senderId !== person.id ? [i + 1] : []));
        lastReadSeq = (fromOthers[Math.max(0, fromOthers.length - seed.adaUnread)] ?? 1) - 1;
      }
      return { conversationId, userId: person.id, lastReadSeq };
    }),
  });
  await tx.introduction.update({ where: { id: introductionId }, data: { conversationId } });
}

export async function seedIntroductions(db: Db, now = nowMs()): Promise<{ introductions: number }> {
  const users = await db.user.findMany({
    where: { email: { endsWith: '@guildhall.dev' } },
    select: { id: true, name: true, email: true },
  });
  const people: People = new Map(
    users.map((user) => {
      const key = user.email.split('@')[0]!;
      return [key, { key, id: user.id, name: user.name }];
    }),
  );
  let made = 0;
  for (const seed of INTRODUCTIONS) {
    if (await db.$transaction((tx) => seedIntroduction(tx, seed, people, now))) made += 1;
  }
  return { introductions: made };
}
