import { randomBytes } from 'node:crypto';
import type { Db } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';
import type {
  MentorHelpKind,
  MentoringCadence,
  MentoringFormat,
  MentorshipOutcome,
  MentorshipRequestStatus,
  SkillLevel,
} from '../generated/prisma/enums.js';
import { cardBody, type MessageCard } from '../modules/chat/chat.cards.js';
import { scheduleJob } from '../modules/jobs/index.js';
import { rescheduleCheckInNudge, scheduleGoalNudges } from '../modules/mentorship/nudges.js';
import { pairingProposed, requestReceived } from '../modules/mentorship/request.notifications.js';
import { expireRequestJob, expiryKey } from '../modules/mentorship/request.service.js';
import { notify } from '../modules/notifications/index.js';
import { encodeGlobalId } from '../lib/global-id.js';

// Demo mentoring among the demo members (demo-data.ts), after the groups, chat and profiles seeds:
// - mentors with room (Ada, Bruno, Priya, …), at capacity (Julia, Chen) and paused (Emeka), and
//   mentees' needs;
// - requests in every state: pending (Camila asks Ada), declined (Bruno declines Yara), expired,
//   withdrawn, and a program pairing waiting for the mentee's yes;
// - the Guildhall Mentoring Program (PROGRAM, Ada co-runs it): round 2 (seven pairs over six months,
//   ended with exit reviews, one ended early) and round 3 (started last week), with check-ins at the
//   agreed cadence (some missed), feedback both ways, goals completed along the way — its dashboard
//   has months to chart;
// - Ada is a mentor (Finn in round 3, Gabriel in round 2, ended) and a mentee (Julia, with an
//   accepted agreement, a goal done and celebrated, one in progress).
// Every mentorship has its MENTORSHIP conversation with both members, a few messages and the goal
// progress cards, stored as the realtime protocol stores them (one event per message, seq 1…n).
// Idempotent: mentor profiles and needs are created once, and a pair (mentor, mentee) that already
// has a request or a mentorship is left alone. Times are relative to the run.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ── mentors and mentees ─────────────────────────────────────────────────

interface MentorSeed {
  capacity: number;
  accepting?: boolean;
  help: MentorHelpKind[];
  formats: MentoringFormat[];
  cadences: MentoringCadence[];
  timeZone: string;
  /** Weekdays (0 = Monday) with one range each, in the mentor's zone. */
  hours: { days: number[]; start: string; end: string };
  languages: string[];
}

const MENTORS: Record<string, MentorSeed> = {
  // Has room: one mentee in the program, three places.
  ada: {
    capacity: 3,
    help: ['LEADERSHIP', 'TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO', 'CHAT'],
    cadences: ['WEEKLY', 'BIWEEKLY'],
    timeZone: 'Africa/Lagos',
    hours: { days: [1, 3], start: '17:00', end: '19:00' },
    languages: ['en', 'yo'],
  },
  // At capacity: one place, taken by Ada.
  julia: {
    capacity: 1,
    help: ['LEADERSHIP', 'CAREER_GUIDANCE', 'WORK_LIFE_BALANCE'],
    formats: ['VIDEO'],
    cadences: ['BIWEEKLY', 'MONTHLY'],
    timeZone: 'Europe/Warsaw',
    hours: { days: [0, 2], start: '08:00', end: '10:00' },
    languages: ['en', 'pl', 'de'],
  },
  // At capacity: one place, taken by Divya in round 3.
  chen: {
    capacity: 1,
    help: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO', 'CHAT'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Asia/Singapore',
    hours: { days: [1, 3], start: '19:00', end: '21:00' },
    languages: ['en', 'zh'],
  },
  // Paused: no new requests for now.
  emeka: {
    capacity: 2,
    accepting: false,
    help: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO'],
    cadences: ['MONTHLY'],
    timeZone: 'Europe/London',
    hours: { days: [3], start: '18:00', end: '20:00' },
    languages: ['en', 'ig'],
  },
  bruno: {
    capacity: 2,
    help: ['TECHNICAL_SKILLS', 'WORK_LIFE_BALANCE'],
    formats: ['VIDEO', 'CHAT'],
    cadences: ['BIWEEKLY', 'MONTHLY'],
    timeZone: 'Europe/Stockholm',
    hours: { days: [1, 4], start: '16:00', end: '18:00' },
    languages: ['en', 'sv'],
  },
  wanjiru: {
    capacity: 3,
    help: ['CAREER_GUIDANCE', 'JOB_SEARCH', 'NETWORKING'],
    formats: ['VIDEO', 'PHONE'],
    cadences: ['BIWEEKLY', 'MONTHLY'],
    timeZone: 'Africa/Nairobi',
    hours: { days: [0, 2, 4], start: '10:00', end: '12:00' },
    languages: ['en', 'sw'],
  },
  deepak: {
    capacity: 2,
    help: ['CAREER_GUIDANCE', 'TECHNICAL_SKILLS'],
    formats: ['VIDEO'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Asia/Kolkata',
    hours: { days: [5], start: '10:00', end: '13:00' },
    languages: ['en', 'hi'],
  },
  priya: {
    capacity: 2,
    help: ['TECHNICAL_SKILLS', 'NETWORKING'],
    formats: ['VIDEO', 'IN_PERSON'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Europe/Berlin',
    hours: { days: [2], start: '18:00', end: '20:00' },
    languages: ['en', 'de'],
  },
  kwame: {
    capacity: 2,
    help: ['TECHNICAL_SKILLS'],
    formats: ['CHAT', 'VIDEO'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Africa/Accra',
    hours: { days: [0, 3], start: '12:00', end: '13:00' },
    languages: ['en'],
  },
  ibrahim: {
    capacity: 2,
    help: ['TECHNICAL_SKILLS'],
    formats: ['VIDEO'],
    cadences: ['BIWEEKLY', 'MONTHLY'],
    timeZone: 'Asia/Amman',
    hours: { days: [6], start: '10:00', end: '12:00' },
    languages: ['en', 'ar'],
  },
  quentin: {
    capacity: 1,
    help: ['TECHNICAL_SKILLS'],
    formats: ['CHAT'],
    cadences: ['MONTHLY'],
    timeZone: 'Europe/Paris',
    hours: { days: [4], start: '14:00', end: '16:00' },
    languages: ['en', 'fr'],
  },
  laura: {
    capacity: 2,
    help: ['CAREER_GUIDANCE', 'TECHNICAL_SKILLS'],
    formats: ['VIDEO', 'CHAT'],
    cadences: ['BIWEEKLY'],
    timeZone: 'Europe/Madrid',
    hours: { days: [1], start: '17:00', end: '19:00' },
    languages: ['en', 'es'],
  },
};

interface NeedsSeed {
  goals: string;
  help: MentorHelpKind[];
  formats: MentoringFormat[];
  cadence: MentoringCadence;
  timeZone: string;
  hours: { days: number[]; start: string; end: string };
  languages: string[];
  /** skill name → [current level or null, wanted level] */
  skills: Record<string, [SkillLevel | null, SkillLevel]>;
}

const NEEDS: Record<string, NeedsSeed> = {
  ada: {
    goals: 'Grow from leading one team to leading leads: delegation, hiring, and running incident reviews well.',
    help: ['LEADERSHIP'],
    formats: ['VIDEO'],
    cadence: 'MONTHLY',
    timeZone: 'Africa/Lagos',
    hours: { days: [0, 2], start: '08:00', end: '10:00' },
    languages: ['en'],
    skills: { 'Engineering Management': ['WORKING', 'EXPERT'] },
  },
  finn: {
    goals: 'Get confident reviewing TypeScript and testing my own changes before I ask for review.',
    help: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO', 'CHAT'],
    cadence: 'WEEKLY',
    timeZone: 'Europe/Dublin',
    hours: { days: [1, 3], start: '16:00', end: '18:00' },
    languages: ['en'],
    skills: { TypeScript: ['LEARNING', 'WORKING'], Testing: ['LEARNING', 'WORKING'] },
  },
  mateus: {
    goals: 'Move from junior to mid-level: own a feature end to end and give useful code reviews.',
    help: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO'],
    cadence: 'BIWEEKLY',
    timeZone: 'Europe/Lisbon',
    hours: { days: [1, 3], start: '18:00', end: '20:00' },
    languages: ['en', 'pt'],
    skills: { React: ['LEARNING', 'WORKING'], 'Node.js': ['LEARNING', 'WORKING'] },
  },
  yara: {
    goals: 'Find a research-minded mentor in accessibility and publish my first study.',
    help: ['CAREER_GUIDANCE', 'NETWORKING'],
    formats: ['VIDEO', 'CHAT'],
    cadence: 'BIWEEKLY',
    timeZone: 'Asia/Beirut',
    hours: { days: [0, 2], start: '15:00', end: '17:00' },
    languages: ['en', 'ar', 'fr'],
    skills: { 'UX Research': ['LEARNING', 'WORKING'], Accessibility: [null, 'WORKING'] },
  },
  divya: {
    goals: 'Move from data pipelines to ML platform work within a year.',
    help: ['TECHNICAL_SKILLS', 'CAREER_GUIDANCE'],
    formats: ['VIDEO'],
    cadence: 'BIWEEKLY',
    timeZone: 'Asia/Kolkata',
    hours: { days: [5], start: '09:00', end: '12:00' },
    languages: ['en', 'hi'],
    skills: { 'Machine Learning': ['LEARNING', 'WORKING'] },
  },
  camila: {
    goals: 'Switch from product design to product management.',
    help: ['CAREER_GUIDANCE', 'JOB_SEARCH', 'LEADERSHIP'],
    formats: ['VIDEO'],
    cadence: 'BIWEEKLY',
    timeZone: 'America/Bogota',
    hours: { days: [1, 3], start: '09:00', end: '11:00' },
    languages: ['en', 'es'],
    skills: { 'Product Management': ['LEARNING', 'WORKING'] },
  },
};

// ── requests that never became a mentorship ─────────────────────────────

interface RequestSeed {
  mentor: string;
  mentee: string;
  status: MentorshipRequestStatus;
  daysAgo: number;
  /** Days after asking that it was answered (declined/withdrawn) or expired. */
  answeredAfter?: number;
  program?: boolean;
  message: string;
  goals: string;
  responseNote?: string;
  /** PROGRAM_ADMIN pairing: who proposed it; the mentor already said yes. */
  proposedBy?: string;
}

const REQUESTS: RequestSeed[] = [
  {
    mentor: 'ada',
    mentee: 'camila',
    status: 'PENDING',
    daysAgo: 2,
    message:
      'Hi Ada! Wanjiru suggested I talk to you: I am moving into product management and would love a mentor who has led teams through that kind of change.',
    goals: 'Run my first roadmap review; lead a cross-team project by the summer.',
  },
  {
    mentor: 'bruno',
    mentee: 'yara',
    status: 'DECLINED',
    daysAgo: 30,
    answeredAfter: 2,
    message: 'Could you mentor me on research infrastructure for accessibility studies?',
    goals: 'Set up a repeatable study pipeline.',
    responseNote: 'Thank you for asking! This is outside what I know well — Hana or Chen would be a much better fit.',
  },
  {
    mentor: 'quentin',
    mentee: 'divya',
    status: 'EXPIRED',
    daysAgo: 40,
    answeredAfter: 14,
    message: 'I would like to learn how storage engines shape ML feature stores.',
    goals: 'Understand the trade-offs of our feature store.',
  },
  {
    mentor: 'priya',
    mentee: 'finn',
    status: 'WITHDRAWN',
    daysAgo: 25,
    answeredAfter: 3,
    message: 'Would you help me get better at Node.js testing?',
    goals: 'Write integration tests for our API without help.',
  },
  {
    mentor: 'wanjiru',
    mentee: 'yara',
    status: 'PENDING',
    daysAgo: 4,
    program: true,
    proposedBy: 'julia',
    message: 'Round 3 pairing: Wanjiru has coached several people into research roles and can open doors.',
    goals: 'Publish a first accessibility study; find a research community.',
  },
  // Asked within the program between rounds.
  {
    mentor: 'priya',
    mentee: 'mateus',
    status: 'DECLINED',
    daysAgo: 100,
    answeredAfter: 3,
    program: true,
    message: 'Would you help me get better at testing Node services?',
    goals: 'Write integration tests without help.',
    responseNote: 'I am full until the next round — ask me again then!',
  },
  {
    mentor: 'kwame',
    mentee: 'elif',
    status: 'EXPIRED',
    daysAgo: 80,
    answeredAfter: 14,
    program: true,
    message: 'Could you show me how SREs think about our Kotlin services?',
    goals: 'Set up service health dashboards.',
  },
  {
    mentor: 'deepak',
    mentee: 'gabriel',
    status: 'WITHDRAWN',
    daysAgo: 60,
    answeredAfter: 5,
    program: true,
    message: 'Could you help me add on-device ML to our Android app?',
    goals: 'Ship one on-device model.',
  },
];

// ── mentorships ─────────────────────────────────────────────────────────

interface GoalSeed {
  title: string;
  outcome: string;
  why: string;
  /** TARGET: a number towards `target` in `unit`; CHECKLIST: the steps. */
  target?: { target: number; unit: string };
  checklist?: string[];
  /** Days after the start: when it is due, when progress was recorded (with the value reached). */
  dueAfter: number;
  progress: Array<{ after: number; value: number; note: string }>;
  /** Completed by its last progress update. */
  completed?: boolean;
  dropped?: boolean;
  /** The mentee celebrated it: a badge on their profile. */
  celebrated?: boolean;
}

interface Line {
  by: 'mentor' | 'mentee';
  /** Days after the start (fractions for hours). */
  after: number;
  text: string;
}

interface ReviewSeed {
  by: 'mentor' | 'mentee';
  wentWell: string;
  outcome: MentorshipOutcome;
  wouldRecommend: boolean;
}

interface MentorshipSeed {
  mentor: string;
  mentee: string;
  program: boolean;
  /** Days before the run that it started. */
  startedDaysAgo: number;
  endedDaysAgo?: number;
  endedBy?: 'mentor' | 'mentee';
  request: { message: string; goals: string; proposedBy?: string };
  /** Agreement versions; the last is ACCEPTED (or PROPOSED when `pending`), earlier ones SUPERSEDED. */
  agreements: Array<{
    cadence: MentoringCadence;
    format: MentoringFormat;
    minutes: number;
    /** Days after the start it was proposed / accepted; its own start is the later of the two days. */
    proposedAfter: number;
    acceptedAfter: number | null;
    months: number;
  }>;
  /** Check-ins: days after the start; ratings by the mentee and (when given) the mentor. */
  checkIns: Array<{
    after: number;
    notes: string;
    next: string;
    mentee?: number;
    mentor?: number;
    working?: boolean;
    menteeWords?: string;
    mentorWords?: string;
    privateNote?: { by: 'mentor' | 'mentee'; body: string };
  }>;
  goals: GoalSeed[];
  lines: Line[];
  reviews?: ReviewSeed[];
  /** Messages by the other side Ada has not read yet (her conversations only). */
  adaUnread?: number;
}

const NOTES = [
  ['Went through the goals and agreed how we measure each one.', 'Draft the first goal as a SMART statement.'],
  [
    'Talked through a hard conversation with a teammate and how to open it.',
    'Try the opener we practised; note what happened.',
  ],
  ['Reviewed progress: one goal moving, one stuck on time.', 'Block two hours a week for the stuck goal.'],
  ['Looked at a design doc together and how to argue for a trade-off.', 'Share the revised doc with the team.'],
  ['Practised a short presentation of recent work.', 'Give the talk at the team demo.'],
  ['Discussed how to ask for feedback from the manager.', 'Book a feedback conversation.'],
  ['Mapped who to meet in the wider organisation.', 'Reach out to two people on the map.'],
] as const;

const WORDS = [
  'Very useful, left with a clear next step.',
  'Good session, a bit rushed at the end.',
  'Helpful to think out loud with someone outside the team.',
  'Concrete and kind. Thank you!',
  'We went deep on one thing; worth it.',
] as const;

/** Check-ins every `every` days after a kickoff `first` days in, until `until`, skipping `missed` (0-based). */
function cadenceCheckIns(options: {
  first: number;
  every: number;
  until: number;
  missed?: number[];
  /** The mentee's usual rating and how it drifts (+1 every `lift` sessions). */
  rating: number;
  lift?: number;
  poorFitFrom?: number;
}): MentorshipSeed['checkIns'] {
  const list: MentorshipSeed['checkIns'] = [];
  for (let k = 0, day = options.first; day < options.until; k += 1, day = options.first + k * options.every) {
    if (options.missed?.includes(k)) continue;
    const [notes, next] = NOTES[k % NOTES.length]!;
    const drift = options.lift ? Math.floor(k / options.lift) : 0;
    const wobble = [0, -1, 0, 1][k % 4]!;
    const poor = options.poorFitFrom !== undefined && k >= options.poorFitFrom;
    const mentee = poor ? 2 : Math.max(1, Math.min(5, options.rating + drift + wobble));
    list.push({
      after: day + (k % 3) * 0.1,
      notes,
      next,
      mentee,
      mentor: k % 2 === 0 ? (poor ? 3 : Math.min(5, mentee + 1)) : undefined,
      working: !poor,
      menteeWords: poor ? 'We keep talking past each other about what I need.' : WORDS[k % WORDS.length],
      mentorWords: k % 2 === 0 ? WORDS[(k + 2) % WORDS.length] : undefined,
    });
  }
  return list;
}

const ROUND2_AGREEMENT = [
  { cadence: 'BIWEEKLY', format: 'VIDEO', minutes: 45, proposedAfter: 0, acceptedAfter: 1, months: 6 },
] as const satisfies MentorshipSeed['agreements'];

function round2(options: {
  mentor: string;
  mentee: string;
  started: number;
  first: number;
  missed?: number[];
  rating: number;
  lift?: number;
  goals: GoalSeed[];
  lines?: Line[];
  reviews?: ReviewSeed[];
  endedDaysAgo?: number;
  endedBy?: 'mentor' | 'mentee';
  poorFitFrom?: number;
}): MentorshipSeed {
  const ended = options.endedDaysAgo ?? 14;
  return {
    mentor: options.mentor,
    mentee: options.mentee,
    program: true,
    startedDaysAgo: options.started,
    endedDaysAgo: ended,
    endedBy: options.endedBy ?? 'mentee',
    request: {
      message: 'Round 2 pairing, matched on goals and working hours.',
      goals: options.goals.map((goal) => goal.title).join('; '),
      proposedBy: 'wanjiru',
    },
    agreements: [...ROUND2_AGREEMENT],
    checkIns: cadenceCheckIns({
      first: options.first,
      every: 14,
      until: options.started - ended,
      missed: options.missed,
      rating: options.rating,
      lift: options.lift,
      poorFitFrom: options.poorFitFrom,
    }),
    goals: options.goals,
    lines: options.lines ?? [
      {
        by: 'mentor',
        after: 0.2,
        text: 'Welcome to round 2! I proposed our agreement: every two weeks, 45 minutes on video. Accept it if that works for you.',
      },
      { by: 'mentee', after: 1, text: 'Accepted 👍 Looking forward to it.' },
      { by: 'mentee', after: options.started - ended - 1, text: 'Thank you for these months. I learned a lot.' },
      {
        by: 'mentor',
        after: options.started - ended - 0.9,
        text: 'It was a pleasure. Keep me posted on what comes next!',
      },
    ],
    reviews: options.reviews ?? [
      { by: 'mentee', wentWell: 'Regular sessions with clear next steps.', outcome: 'GOALS_MET', wouldRecommend: true },
      {
        by: 'mentor',
        wentWell: 'Came prepared every time and followed through.',
        outcome: 'GOALS_MET',
        wouldRecommend: true,
      },
    ],
  };
}

const target = (t: number, unit: string) => ({ target: t, unit });

const MENTORSHIPS: MentorshipSeed[] = [
  // ── Ada mentors Finn: round 3 of the program, started last week ──
  {
    mentor: 'ada',
    mentee: 'finn',
    program: true,
    startedDaysAgo: 12,
    request: {
      message: 'Round 3 pairing: Finn wants to grow as a reviewer; Ada reviews TypeScript all day.',
      goals: 'Review teammates’ pull requests with confidence; test my own changes first.',
      proposedBy: 'julia',
    },
    agreements: [
      { cadence: 'BIWEEKLY', format: 'VIDEO', minutes: 45, proposedAfter: 0, acceptedAfter: 1, months: 6 },
      // Finn asked to meet weekly for the first weeks; Ada accepted the change.
      { cadence: 'WEEKLY', format: 'VIDEO', minutes: 30, proposedAfter: 5, acceptedAfter: 5, months: 6 },
    ],
    checkIns: [
      {
        after: 2,
        notes: 'Kick-off: agreed two goals and how we measure them. Finn shared a PR he found hard to review.',
        next: 'Finn reviews two PRs this week using the checklist; Ada shares her review checklist.',
        mentee: 5,
        mentor: 5,
        working: true,
        menteeWords: 'Super clear, and the checklist idea already helps.',
        mentorWords: 'Finn came with a real example — the best kind of first session.',
        privateNote: { by: 'mentor', body: 'Finn undersells himself; push him to comment, not just approve.' },
      },
      {
        after: 9,
        notes: 'Went through four of Finn’s reviews: good questions, could be kinder in wording.',
        next: 'Try “what if…” phrasing; test locally before approving.',
        mentee: 4,
        working: true,
        menteeWords: 'Useful, I want more time on testing next time.',
        privateNote: { by: 'mentee', body: 'Ask Ada how she handles reviewing seniors’ code.' },
      },
    ],
    goals: [
      {
        title: 'Set up a review routine',
        outcome: 'A daily 30-minute review slot and a personal checklist I actually use.',
        why: 'Reviews stop being something I avoid.',
        checklist: ['Block a daily review slot', 'Write my review checklist', 'Use it for a week'],
        dueAfter: 14,
        progress: [
          { after: 3, value: 1, note: 'Review slot is in my calendar, 10:00 every day.' },
          { after: 6, value: 2, note: 'Checklist written — borrowed three items from Ada’s.' },
          { after: 10, value: 3, note: 'Used it for a whole week 🎉' },
        ],
        completed: true,
      },
      {
        title: 'Review 10 teammates’ pull requests',
        outcome: 'Ten reviews with at least one substantive comment each.',
        why: 'Reviewing is how I learn the codebase and how I help the team.',
        target: target(10, 'reviews'),
        dueAfter: 60,
        progress: [
          { after: 5, value: 2, note: 'Two reviews done, both with a question that changed the code.' },
          { after: 11, value: 4, note: 'Four now. One of them caught a missing test!' },
        ],
      },
    ],
    lines: [
      { by: 'mentor', after: 0.1, text: 'Hi Finn, welcome to round 3! I proposed every two weeks to start with.' },
      { by: 'mentee', after: 0.9, text: 'Accepted! Looking forward to Thursday.' },
      {
        by: 'mentor',
        after: 2.2,
        text: 'Here is my review checklist, as promised: https://example.com/ada/review-checklist',
      },
      {
        by: 'mentee',
        after: 4.8,
        text: 'Could we meet weekly for the first month? I proposed a new version of the agreement.',
      },
      { by: 'mentor', after: 5.1, text: 'Good idea — accepted. 30 minutes weekly.' },
      { by: 'mentee', after: 11.2, text: 'See you next week! I will bring the PR with the flaky test.' },
    ],
    adaUnread: 2,
  },
  // ── Julia mentors Ada (not part of the program): Ada's own growth ──
  {
    mentor: 'julia',
    mentee: 'ada',
    program: false,
    startedDaysAgo: 75,
    request: {
      message:
        'Hi Julia — I am about to lead leads for the first time and would love a mentor who has done it. Would you take me on?',
      goals: 'Delegate well; run blameless incident reviews; write a team charter.',
    },
    agreements: [{ cadence: 'MONTHLY', format: 'VIDEO', minutes: 60, proposedAfter: 0, acceptedAfter: 1, months: 6 }],
    checkIns: [
      {
        after: 3,
        notes: 'What “leading leads” changes: less doing, more context-setting. Picked two goals.',
        next: 'Ada drafts the team charter outline; lists incidents worth a review.',
        mentee: 5,
        mentor: 5,
        working: true,
        menteeWords: 'Exactly what I needed: concrete and honest.',
        mentorWords: 'Ada knows what she wants from this; easy to help.',
        privateNote: { by: 'mentee', body: 'I am more nervous about the hiring part than I admitted.' },
      },
      {
        after: 33,
        notes: 'Charter draft reviewed: strong on mission, thin on how decisions get made.',
        next: 'Add a decision-making section; run the first incident review.',
        mentee: 4,
        mentor: 5,
        working: true,
        menteeWords: 'Good push on the decisions section.',
      },
      {
        after: 66,
        notes: 'Charter is done and shared. First incident review went well; the second one felt like blame.',
        next: 'Try the “what made sense at the time” question; share notes with Julia after.',
        mentee: 5,
        working: true,
        menteeWords: 'Great session. Celebrated the charter!',
        privateNote: { by: 'mentor', body: 'Next time: talk about saying no to her own manager.' },
      },
    ],
    goals: [
      {
        title: 'Write a team charter',
        outcome: 'A one-page charter the leads agreed to, shared with the whole team.',
        why: 'Everyone should know what we own and how we decide.',
        checklist: ['Outline', 'Decision-making section', 'Review with the leads', 'Share with the team'],
        dueAfter: 60,
        progress: [
          { after: 10, value: 1, note: 'Outline done.' },
          { after: 40, value: 3, note: 'Decision-making section added; the leads reviewed it.' },
          { after: 55, value: 4, note: 'Shared with the team today!' },
        ],
        completed: true,
        celebrated: true,
      },
      {
        title: 'Run 3 blameless incident reviews',
        outcome: 'Three reviews run by me, each with actions that got done.',
        why: 'Learning from incidents without blame is the culture I want.',
        target: target(3, 'reviews'),
        dueAfter: 120,
        progress: [
          { after: 45, value: 1, note: 'First review done — good discussion.' },
          { after: 64, value: 2, note: 'Second one; drifted into blame for a moment, caught it.' },
        ],
      },
    ],
    lines: [
      { by: 'mentor', after: 0.2, text: 'Happy to, Ada! I proposed monthly, an hour each. Does that suit you?' },
      { by: 'mentee', after: 1, text: 'Perfect, accepted. Thank you, Julia!' },
      { by: 'mentee', after: 34, text: 'The decisions section is in. It was harder to write than I expected.' },
      { by: 'mentor', after: 34.3, text: 'That usually means it was needed 🙂' },
    ],
  },
  // ── Round 2 of the program: seven pairs, six months, ended two weeks ago ──
  round2({
    mentor: 'wanjiru',
    mentee: 'camila',
    started: 196,
    first: 3,
    missed: [5],
    rating: 4,
    lift: 5,
    goals: [
      {
        title: 'Lead a product discovery sprint',
        outcome: 'One discovery sprint led end to end, with a decision at the end.',
        why: 'It is the core PM skill I have never practised.',
        target: target(1, 'sprint'),
        dueAfter: 90,
        progress: [{ after: 70, value: 1, note: 'Sprint done; we killed one idea and kept one.' }],
        completed: true,
      },
      {
        title: 'Write three PM case studies',
        outcome: 'Three case studies in my portfolio, reviewed by a PM.',
        why: 'They are what hiring managers ask for.',
        target: target(3, 'case studies'),
        dueAfter: 170,
        progress: [
          { after: 100, value: 1, note: 'First case study reviewed by Fatima.' },
          { after: 130, value: 2, note: 'Second one done.' },
          { after: 150, value: 3, note: 'All three are in the portfolio!' },
        ],
        completed: true,
        celebrated: true,
      },
    ],
    reviews: [
      {
        by: 'mentee',
        wentWell: 'Wanjiru opened doors I did not know existed, and every session ended with one clear step.',
        outcome: 'GOALS_MET',
        wouldRecommend: true,
      },
      {
        by: 'mentor',
        wentWell: 'Camila did the work between sessions. Proud of her move into product.',
        outcome: 'GOALS_MET',
        wouldRecommend: true,
      },
    ],
  }),
  round2({
    mentor: 'julia',
    mentee: 'elif',
    started: 189,
    first: 5,
    missed: [3, 8],
    rating: 4,
    goals: [
      {
        title: 'Get promoted to senior engineer',
        outcome: 'A promotion case with three examples of senior-level impact.',
        why: 'I am doing the work; I want it recognised.',
        checklist: ['Collect examples', 'Draft the case', 'Review with my manager'],
        dueAfter: 150,
        progress: [
          { after: 40, value: 1, note: 'Examples collected.' },
          { after: 120, value: 3, note: 'Case submitted!' },
        ],
        completed: true,
      },
    ],
  }),
  round2({
    mentor: 'ada',
    mentee: 'gabriel',
    started: 189,
    first: 2,
    missed: [6],
    rating: 4,
    lift: 4,
    goals: [
      {
        title: 'Give 3 internal talks on Kotlin',
        outcome: 'Three talks to other teams, with slides shared.',
        why: 'Teaching is how I want to grow, and the teams need it.',
        target: target(3, 'talks'),
        dueAfter: 160,
        progress: [
          { after: 50, value: 1, note: 'First talk: coroutines for Android devs.' },
          { after: 95, value: 2, note: 'Second talk went better than the first.' },
          { after: 140, value: 3, note: 'Third talk done, to 40 people!' },
        ],
        completed: true,
        celebrated: true,
      },
      {
        title: 'Open-source the training material',
        outcome: 'The weekend course material public under a free licence.',
        why: 'More career changers can use it.',
        checklist: ['Pick a licence', 'Clean up the repository', 'Announce it'],
        dueAfter: 170,
        progress: [{ after: 120, value: 1, note: 'Licence chosen; the clean-up is bigger than I thought.' }],
        dropped: true,
      },
    ],
    reviews: [
      {
        by: 'mentee',
        wentWell: 'Ada’s feedback on my talks was specific and kind. I now enjoy presenting.',
        outcome: 'PARTLY_MET',
        wouldRecommend: true,
      },
      {
        by: 'mentor',
        wentWell: 'Gabriel grew into a confident speaker. We dropped one goal on purpose and that was right.',
        outcome: 'PARTLY_MET',
        wouldRecommend: true,
      },
    ],
  }),
  round2({
    mentor: 'deepak',
    mentee: 'divya',
    started: 182,
    first: 6,
    missed: [2, 7, 9],
    rating: 3,
    lift: 3,
    goals: [
      {
        title: 'Ship a model to production',
        outcome: 'One model served in production with monitoring.',
        why: 'It is the gap between data engineering and ML platforms.',
        target: target(1, 'model'),
        dueAfter: 160,
        progress: [{ after: 140, value: 1, note: 'Model live, with drift alerts.' }],
        completed: true,
      },
    ],
  }),
  round2({
    mentor: 'priya',
    mentee: 'yara',
    started: 175,
    first: 4,
    rating: 5,
    goals: [
      {
        title: 'Present my research at a meetup',
        outcome: 'One talk about my accessibility study at a local meetup.',
        why: 'Getting known outside my university.',
        target: target(1, 'talk'),
        dueAfter: 120,
        progress: [{ after: 85, value: 1, note: 'Talked at the Beirut UX meetup!' }],
        completed: true,
      },
      {
        title: 'Publish the screen-reader study',
        outcome: 'The study written up and public, with its data.',
        why: 'Other researchers asked for it.',
        checklist: ['Write-up', 'Anonymise the data', 'Publish'],
        dueAfter: 160,
        progress: [
          { after: 110, value: 2, note: 'Write-up done and the data anonymised.' },
          { after: 155, value: 3, note: 'Published — two labs already wrote to me.' },
        ],
        completed: true,
      },
    ],
  }),
  round2({
    mentor: 'chen',
    mentee: 'finn',
    started: 168,
    first: 8,
    missed: [4, 5],
    rating: 4,
    goals: [
      {
        title: 'Fix the top ten accessibility issues in our app',
        outcome: 'An audit, and its top ten issues fixed.',
        why: 'Our app fails basic checks and I want to learn by fixing it.',
        target: target(10, 'issues fixed'),
        dueAfter: 150,
        progress: [
          { after: 60, value: 4, note: 'Audit done; four fixes shipped.' },
          { after: 125, value: 10, note: 'Top ten fixed.' },
        ],
        completed: true,
      },
    ],
  }),
  // Ended early: the pairing did not work for the mentee, who said so in feedback and ended it.
  round2({
    mentor: 'kwame',
    mentee: 'mateus',
    started: 161,
    first: 5,
    rating: 3,
    poorFitFrom: 3,
    endedDaysAgo: 95,
    endedBy: 'mentee',
    goals: [
      {
        title: 'Set up on-call for my team',
        outcome: 'A rota and runbooks the team uses.',
        why: 'We get paged and nobody knows what to do.',
        checklist: ['Rota', 'Runbooks', 'First drill'],
        dueAfter: 90,
        progress: [{ after: 30, value: 1, note: 'Rota agreed.' }],
        dropped: true,
      },
    ],
    reviews: [
      {
        by: 'mentee',
        wentWell: 'Kwame was generous with his time, but I need help with frontend growth, not on-call.',
        outcome: 'ENDED_EARLY',
        wouldRecommend: true,
      },
      {
        by: 'mentor',
        wentWell: 'Good to stop early rather than drift. Mateus knows better what he needs now.',
        outcome: 'ENDED_EARLY',
        wouldRecommend: true,
      },
    ],
  }),
  // ── Round 3, besides Ada and Finn ──
  {
    mentor: 'deepak',
    mentee: 'mateus',
    program: true,
    startedDaysAgo: 12,
    request: {
      message: 'Round 3 pairing: frontend growth this time.',
      goals: 'Own a feature end to end.',
      proposedBy: 'julia',
    },
    agreements: [{ cadence: 'BIWEEKLY', format: 'VIDEO', minutes: 45, proposedAfter: 0, acceptedAfter: 2, months: 6 }],
    checkIns: [
      {
        after: 4,
        notes: 'Kick-off: picked the feature to own.',
        next: 'Write the one-page plan.',
        mentee: 5,
        mentor: 4,
        working: true,
        menteeWords: 'Much better fit for me this round.',
      },
    ],
    goals: [
      {
        title: 'Own the saved-searches feature',
        outcome: 'Plan, build and ship saved searches.',
        why: 'Owning something end to end is the step to mid-level.',
        checklist: ['Plan', 'Build', 'Ship', 'Measure'],
        dueAfter: 90,
        progress: [{ after: 8, value: 1, note: 'Plan approved by the team.' }],
      },
    ],
    lines: [
      { by: 'mentor', after: 0.3, text: 'Welcome, Mateus! Every two weeks on Saturday mornings?' },
      { by: 'mentee', after: 2, text: 'Works for me, accepted.' },
    ],
  },
  {
    mentor: 'chen',
    mentee: 'divya',
    program: true,
    startedDaysAgo: 11,
    request: {
      message: 'Round 3 pairing: Divya wants to build ML tools people enjoy using.',
      goals: 'Design a usable internal ML tool.',
      proposedBy: 'wanjiru',
    },
    agreements: [{ cadence: 'BIWEEKLY', format: 'CHAT', minutes: 30, proposedAfter: 0, acceptedAfter: 1, months: 6 }],
    checkIns: [
      {
        after: 5,
        notes: 'Walked through the current tool and its pain points.',
        next: 'Interview three users.',
        mentee: 4,
        working: true,
      },
    ],
    goals: [
      {
        title: 'Interview 5 users of the ML console',
        outcome: 'Five interviews with notes and themes.',
        why: 'Design from what people need.',
        target: target(5, 'interviews'),
        dueAfter: 30,
        progress: [],
      },
    ],
    lines: [{ by: 'mentor', after: 0.2, text: 'Hi Divya! Chat works best for me — 30 minutes every two weeks?' }],
  },
];

// ── writing ─────────────────────────────────────────────────────────────

function uuidV7(ms: number): string {
  const bytes = randomBytes(16);
  for (let i = 0; i < 6; i += 1) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const hoursJson = (hours: { days: number[]; start: string; end: string }) =>
  hours.days.map((day) => ({ weekday: WEEKDAYS[day]!, start: hours.start, end: hours.end }));

/** Midnight UTC of a day, as @db.Date columns hold it. */
const dateOnly = (ms: number) => new Date(Math.floor(ms / DAY) * DAY);

type People = ReadonlyMap<string, { id: string; name: string }>;

async function seedMentorsAndMentees(db: Db, people: People, skillIds: ReadonlyMap<string, string>): Promise<void> {
  for (const [name, seed] of Object.entries(MENTORS)) {
    const person = people.get(name);
    if (!person) continue;
    await db.$transaction(async (tx) => {
      const existing = await tx.mentorProfile.findUnique({ where: { userId: person.id }, select: { userId: true } });
      if (existing) return;
      await tx.mentorProfile.create({
        data: {
          userId: person.id,
          helpOffered: seed.help,
          capacity: seed.capacity,
          accepting: seed.accepting ?? true,
          formats: seed.formats,
          cadences: seed.cadences,
          timeZone: seed.timeZone,
          weeklyHours: hoursJson(seed.hours),
          languages: seed.languages,
        },
      });
      // Expertise: the member's own skills at the levels of their profile.
      const skills = await tx.userSkill.findMany({
        where: { userId: person.id },
        select: { skillId: true, level: true },
        orderBy: { skill: { name: 'asc' } },
      });
      await tx.mentorSkill.createMany({
        data: skills.map((skill, position) => ({
          mentorId: person.id,
          skillId: skill.skillId,
          level: skill.level,
          position,
        })),
      });
    });
  }
  for (const [name, seed] of Object.entries(NEEDS)) {
    const person = people.get(name);
    if (!person) continue;
    await db.$transaction(async (tx) => {
      const existing = await tx.menteeNeeds.findUnique({ where: { userId: person.id }, select: { userId: true } });
      if (existing) return;
      await tx.menteeNeeds.create({
        data: {
          userId: person.id,
          goals: seed.goals,
          languages: seed.languages,
          helpWanted: seed.help,
          formats: seed.formats,
          cadence: seed.cadence,
          timeZone: seed.timeZone,
          weeklyHours: hoursJson(seed.hours),
        },
      });
      const skills = Object.entries(seed.skills).flatMap(([skill, [currentLevel, wantedLevel]], position) => {
        const skillId = skillIds.get(skill);
        return skillId ? [{ userId: person.id, skillId, currentLevel, wantedLevel, position }] : [];
      });
      await tx.menteeSkill.createMany({ data: skills });
    });
  }
}

async function pairTaken(tx: Prisma.TransactionClient, mentorId: string, menteeId: string): Promise<boolean> {
  const [requests, mentorships] = await Promise.all([
    tx.mentorshipRequest.count({ where: { mentorId, menteeId } }),
    tx.mentorship.count({ where: { mentorId, menteeId } }),
  ]);
  return requests + mentorships > 0;
}

interface PlannedMessage {
  at: number;
  senderId: string;
  body: string;
  card: MessageCard | null;
  /** The goal update this card reports, if any. */
  update?: { goalIndex: number; updateIndex: number };
}

async function seedOneMentorship(
  tx: Prisma.TransactionClient,
  seed: MentorshipSeed,
  ids: { mentorId: string; menteeId: string; programId: string | null; adminIds: ReadonlyMap<string, string> },
  now: number,
): Promise<boolean> {
  if (await pairTaken(tx, ids.mentorId, ids.menteeId)) return false;
  const start = Math.floor((now - seed.startedDaysAgo * DAY) / HOUR) * HOUR;
  const end = seed.endedDaysAgo !== undefined ? Math.floor((now - seed.endedDaysAgo * DAY) / HOUR) * HOUR : null;
  // Nothing is dated after the end (or after now, for an active one).
  const limit = (end ?? now) - MINUTE;
  const atDay = (after: number) => Math.min(start + after * DAY, limit);
  const side = (by: 'mentor' | 'mentee') => (by === 'mentor' ? ids.mentorId : ids.menteeId);
  const program = seed.program ? ids.programId : null;
  const proposer = seed.request.proposedBy ? (ids.adminIds.get(seed.request.proposedBy) ?? null) : null;
  const asked = start - 3 * DAY;

  const request = await tx.mentorshipRequest.create({
    data: {
      id: uuidV7(asked),
      menteeId: ids.menteeId,
      mentorId: ids.mentorId,
      origin: program && proposer ? 'PROGRAM_ADMIN' : 'MENTEE',
      groupId: program,
      proposedById: program ? proposer : null,
      message: seed.request.message,
      goals: seed.request.goals,
      status: 'ACCEPTED',
      menteeAgreedAt: new Date(asked + (program ? DAY : 0)),
      mentorAgreedAt: new Date(start),
      respondedAt: new Date(start),
      expiresAt: new Date(asked + 14 * DAY),
      createdAt: new Date(asked),
    },
    select: { id: true },
  });

  // The conversation: the chat lines and one card per goal update, in time order.
  const planned: PlannedMessage[] = seed.lines.map((line) => ({
    at: atDay(line.after),
    senderId: side(line.by),
    body: line.text,
    card: null,
  }));
  seed.goals.forEach((goal, goalIndex) => {
    goal.progress.forEach((update, updateIndex) => {
      const completes = Boolean(goal.completed) && updateIndex === goal.progress.length - 1;
      const targetValue = goal.target?.target ?? goal.checklist?.length ?? 1;
      const card: MessageCard = {
        title: completes ? `Goal completed: ${goal.title}` : `Goal progress: ${goal.title}`,
        lines: [update.note],
        progress: { value: update.value, target: targetValue, unit: goal.target?.unit ?? 'steps' },
        href: null,
        tone: completes ? 'SUCCESS' : 'PROGRESS',
      };
      planned.push({
        at: atDay(update.after),
        senderId: ids.menteeId,
        body: cardBody(card),
        card,
        update: { goalIndex, updateIndex },
      });
    });
  });
  planned.sort((a, b) => a.at - b.at);
  // Strictly increasing times, so time order and seq order agree.
  for (let i = 1; i < planned.length; i += 1) {
    if (planned[i]!.at <= planned[i - 1]!.at) planned[i]!.at = planned[i - 1]!.at + MINUTE;
  }
  const lastAt = planned.at(-1)?.at ?? start;
  const conversation = await tx.conversation.create({
    data: {
      id: uuidV7(start),
      kind: 'MENTORSHIP',
      createdById: ids.mentorId,
      createdAt: new Date(start),
      lastSeq: planned.length,
      lastMessageAt: planned.length > 0 ? new Date(lastAt) : null,
      participants: {
        create: [
          { userId: ids.mentorId, joinedAt: new Date(start) },
          { userId: ids.menteeId, joinedAt: new Date(start) },
        ],
      },
    },
    select: { id: true },
  });
  const messageIds = planned.map((message) => uuidV7(message.at));
  if (planned.length > 0) {
    await tx.message.createMany({
      data: planned.map((message, i) => ({
        id: messageIds[i]!,
        conversationId: conversation.id,
        seq: i + 1,
        senderId: message.senderId,
        clientId: `seed-${i + 1}`,
        body: message.body,
        card: message.card ?? undefined,
        createdAt: new Date(message.at),
      })),
    });
    await tx.conversationEvent.createMany({
      data: planned.map((message, i) => ({
        conversationId: conversation.id,
        seq: i + 1,
        kind: 'MESSAGE_ADDED' as const,
        messageId: messageIds[i]!,
        createdAt: new Date(message.at),
      })),
    });
    // Both have read everything, but Ada keeps the last few messages by the other side unread.
    const adaIsIn = seed.mentor === 'ada' || seed.mentee === 'ada';
    const markers = [ids.mentorId, ids.menteeId].map((userId) => {
      let lastReadSeq = planned.length;
      const isAda = adaIsIn && userId === (seed.mentor === 'ada' ? ids.mentorId : ids.menteeId);
      if (isAda && seed.adaUnread) {
        const fromOthers = planned.flatMap((m, i) => (m.senderId !== userId ? [i + 1] : []));
        lastReadSeq = (fromOthers[Math.max(0, fromOthers.length - seed.adaUnread)] ?? 1) - 1;
      }
      return { conversationId: conversation.id, userId, lastReadSeq };
    });
    await tx.readMarker.createMany({ data: markers });
  }

  const mentorship = await tx.mentorship.create({
    data: {
      id: uuidV7(start),
      requestId: request.id,
      mentorId: ids.mentorId,
      menteeId: ids.menteeId,
      groupId: program,
      conversationId: conversation.id,
      status: end === null ? 'ACTIVE' : 'ENDED',
      startedAt: new Date(start),
      endedAt: end === null ? null : new Date(end),
      endedById: end === null ? null : side(seed.endedBy ?? 'mentee'),
    },
    select: { id: true },
  });

  await tx.mentorshipAgreement.createMany({
    data: seed.agreements.map((terms, index) => {
      const last = index === seed.agreements.length - 1;
      const proposedAt = atDay(terms.proposedAfter);
      const acceptedAt = terms.acceptedAfter === null ? null : atDay(terms.acceptedAfter);
      const startsOn = dateOnly(index === 0 ? start : (acceptedAt ?? proposedAt));
      // The mentor proposes the first version; later changes come from the mentee.
      const proposedBy = index === 0 ? ids.mentorId : ids.menteeId;
      return {
        mentorshipId: mentorship.id,
        version: index + 1,
        status: acceptedAt === null ? ('PROPOSED' as const) : last ? ('ACCEPTED' as const) : ('SUPERSEDED' as const),
        cadence: terms.cadence,
        format: terms.format,
        sessionMinutes: terms.minutes,
        startsOn,
        plannedEndOn: dateOnly(startsOn.getTime() + terms.months * 30 * DAY),
        mentorExpectations: 'Come with a real example; I will be honest and on time.',
        menteeExpectations: 'Prepare for each session and do the next step before the one after.',
        confidentiality: 'What we discuss stays between us unless we both agree otherwise.',
        proposedById: proposedBy,
        proposedAt: new Date(proposedAt),
        acceptedById: acceptedAt === null ? null : proposedBy === ids.mentorId ? ids.menteeId : ids.mentorId,
        acceptedAt: acceptedAt === null ? null : new Date(acceptedAt),
      };
    }),
  });

  for (const [goalIndex, goal] of seed.goals.entries()) {
    const createdAt = atDay(Math.min(1.5, goal.dueAfter));
    const lastUpdate = goal.progress.at(-1);
    const status = goal.dropped ? 'DROPPED' : goal.completed ? 'COMPLETED' : 'ACTIVE';
    const completedAt = goal.completed && lastUpdate ? atDay(lastUpdate.after) : null;
    const row = await tx.goal.create({
      data: {
        id: uuidV7(createdAt),
        mentorshipId: mentorship.id,
        createdById: ids.menteeId,
        title: goal.title,
        specificOutcome: goal.outcome,
        measure: goal.target ? 'TARGET' : 'CHECKLIST',
        startValue: goal.target ? 0 : null,
        targetValue: goal.target?.target ?? null,
        currentValue: goal.target ? (lastUpdate?.value ?? 0) : null,
        unit: goal.target?.unit ?? '',
        whyItMatters: goal.why,
        dueOn: dateOnly(start + goal.dueAfter * DAY),
        status,
        completedAt: completedAt === null ? null : new Date(completedAt),
        lastProgressAt: new Date(lastUpdate ? atDay(lastUpdate.after) : createdAt),
        createdAt: new Date(createdAt),
      },
      select: { id: true },
    });
    if (goal.checklist) {
      const done = lastUpdate?.value ?? 0;
      await tx.goalChecklistItem.createMany({
        data: goal.checklist.map((text, position) => {
          // Item i was ticked by the first update that reached i + 1 done.
          const ticked = goal.progress.find((update) => update.value > position);
          return {
            goalId: row.id,
            position,
            text,
            doneAt: position < done && ticked ? new Date(atDay(ticked.after)) : null,
          };
        }),
      });
    }
    await tx.goalUpdate.createMany({
      data: goal.progress.map((update, updateIndex) => {
        const messageIndex = planned.findIndex(
          (m) => m.update?.goalIndex === goalIndex && m.update.updateIndex === updateIndex,
        );
        return {
          goalId: row.id,
          authorId: ids.menteeId,
          note: update.note,
          value: update.value,
          completes: Boolean(goal.completed) && updateIndex === goal.progress.length - 1,
          messageId: messageIndex >= 0 ? messageIds[messageIndex]! : null,
          createdAt: new Date(atDay(update.after)),
        };
      }),
    });
    if (goal.celebrated && completedAt !== null) {
      await tx.achievement.create({
        data: {
          goalId: row.id,
          menteeId: ids.menteeId,
          title: goal.title,
          visibility: 'MEMBERS',
          createdAt: new Date(completedAt + HOUR),
        },
      });
    }
  }

  for (const checkIn of seed.checkIns) {
    const heldAt = atDay(checkIn.after);
    const row = await tx.checkIn.create({
      data: {
        id: uuidV7(heldAt),
        mentorshipId: mentorship.id,
        heldAt: new Date(heldAt),
        sharedNotes: checkIn.notes,
        nextSteps: checkIn.next,
        createdById: ids.menteeId,
        createdAt: new Date(heldAt + HOUR),
      },
      select: { id: true },
    });
    if (checkIn.privateNote) {
      await tx.checkInPrivateNote.create({
        data: { checkInId: row.id, authorId: side(checkIn.privateNote.by), body: checkIn.privateNote.body },
      });
    }
    const feedback = [
      { authorId: ids.menteeId, rating: checkIn.mentee, words: checkIn.menteeWords },
      { authorId: ids.mentorId, rating: checkIn.mentor, words: checkIn.mentorWords },
    ].flatMap(({ authorId, rating, words }) =>
      rating === undefined
        ? []
        : [
            {
              checkInId: row.id,
              authorId,
              rating,
              words: words ?? '',
              pairingWorking: checkIn.working ?? true,
              createdAt: new Date(Math.min(heldAt + 2 * HOUR, limit)),
            },
          ],
    );
    if (feedback.length > 0) await tx.checkInFeedback.createMany({ data: feedback });
  }

  // An active mentorship's nudges run from here on, as after the service's own writes.
  if (end === null) {
    await rescheduleCheckInNudge(tx, mentorship.id);
    const menteeZone = await tx.user.findUniqueOrThrow({ where: { id: ids.menteeId }, select: { timeZone: true } });
    const goals = await tx.goal.findMany({
      where: { mentorshipId: mentorship.id, status: 'ACTIVE' },
      select: { id: true, dueOn: true, lastProgressAt: true },
    });
    for (const goal of goals) await scheduleGoalNudges(tx, goal, menteeZone.timeZone);
  }

  if (end !== null && seed.reviews) {
    await tx.mentorshipReview.createMany({
      data: seed.reviews.map((review) => ({
        mentorshipId: mentorship.id,
        authorId: side(review.by),
        wentWell: review.wentWell,
        outcome: review.outcome,
        wouldRecommend: review.wouldRecommend,
        // The one who ended it wrote theirs then; the other a day later.
        createdAt: new Date(review.by === (seed.endedBy ?? 'mentee') ? end : Math.min(end + DAY, now - MINUTE)),
      })),
    });
  }
  return true;
}

async function seedRequest(
  tx: Prisma.TransactionClient,
  seed: RequestSeed,
  ids: { mentorId: string; menteeId: string; programId: string | null; proposerId: string | null },
  now: number,
): Promise<void> {
  if (await pairTaken(tx, ids.mentorId, ids.menteeId)) return;
  const asked = Math.floor((now - seed.daysAgo * DAY) / HOUR) * HOUR;
  const answered = seed.answeredAfter !== undefined ? asked + seed.answeredAfter * DAY : null;
  const pairing = seed.program && ids.proposerId !== null;
  const request = await tx.mentorshipRequest.create({
    data: {
      id: uuidV7(asked),
      menteeId: ids.menteeId,
      mentorId: ids.mentorId,
      origin: pairing ? 'PROGRAM_ADMIN' : 'MENTEE',
      groupId: seed.program ? ids.programId : null,
      proposedById: pairing ? ids.proposerId : null,
      message: seed.message,
      goals: seed.goals,
      status: seed.status,
      // A pairing waits for the mentee; a request of the mentee's own is their yes.
      menteeAgreedAt: pairing ? null : new Date(asked),
      mentorAgreedAt: pairing ? new Date(asked + 6 * HOUR) : null,
      responseNote: seed.responseNote ?? '',
      respondedAt: seed.status === 'DECLINED' && answered !== null ? new Date(answered) : null,
      expiresAt: new Date(seed.status === 'EXPIRED' && answered !== null ? answered : asked + 14 * DAY),
      createdAt: new Date(asked),
    },
    select: { id: true, expiresAt: true },
  });
  if (seed.status !== 'PENDING') return;
  // As the request service does: it expires by a job, and whoever must answer hears of it.
  await scheduleJob(
    tx,
    expireRequestJob,
    { requestId: request.id },
    { runAt: request.expiresAt, key: expiryKey(request.id) },
  );
  await notify(tx, {
    kind: pairing ? pairingProposed : requestReceived,
    recipientIds: pairing ? [ids.menteeId] : [ids.mentorId],
    actorId: pairing ? ids.proposerId : ids.menteeId,
    subjectId: encodeGlobalId('MentorshipRequest', request.id),
    data: { requestId: request.id },
  });
}

const PROGRAM_SLUG = 'guildhall-mentoring-program';

export async function seedMentorship(db: Db, now = Date.now()): Promise<{ mentorships: number }> {
  const users = await db.user.findMany({
    where: { email: { endsWith: '@guildhall.dev' } },
    select: { id: true, name: true, email: true },
  });
  const people = new Map(users.map((user) => [user.email.split('@')[0]!, { id: user.id, name: user.name }]));
  const skills = await db.skill.findMany({ select: { id: true, name: true } });
  await seedMentorsAndMentees(db, people, new Map(skills.map((skill) => [skill.name, skill.id])));

  const program = await db.group.findUnique({ where: { slug: PROGRAM_SLUG }, select: { id: true } });
  const programId = program?.id ?? null;
  if (programId) {
    // Everyone paired in the program is one of its members (rounds 2 and 3 brought new people in).
    const names = new Set<string>();
    for (const seed of [...MENTORSHIPS.filter((m) => m.program), ...REQUESTS.filter((r) => r.program)]) {
      names.add(seed.mentor);
      names.add(seed.mentee);
    }
    await db.membership.createMany({
      data: [...names].flatMap((name) => {
        const person = people.get(name);
        return person ? [{ groupId: programId, userId: person.id, role: 'MEMBER' as const }] : [];
      }),
      skipDuplicates: true,
    });
  }
  const adminIds = new Map([...people].map(([name, person]) => [name, person.id]));

  let made = 0;
  for (const seed of MENTORSHIPS) {
    const mentor = people.get(seed.mentor);
    const mentee = people.get(seed.mentee);
    if (!mentor || !mentee || (seed.program && !programId)) continue;
    const created = await db.$transaction((tx) =>
      seedOneMentorship(tx, seed, { mentorId: mentor.id, menteeId: mentee.id, programId, adminIds }, now),
    );
    if (created) made += 1;
  }
  for (const seed of REQUESTS) {
    const mentor = people.get(seed.mentor);
    const mentee = people.get(seed.mentee);
    if (!mentor || !mentee || (seed.program && !programId)) continue;
    const proposerId = seed.proposedBy ? (people.get(seed.proposedBy)?.id ?? null) : null;
    await db.$transaction((tx) =>
      seedRequest(tx, seed, { mentorId: mentor.id, menteeId: mentee.id, programId, proposerId }, now),
    );
  }
  return { mentorships: made };
}
