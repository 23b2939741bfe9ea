import { randomBytes } from 'node:crypto';
import type { Db } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { ConversationEventKind } from '../generated/prisma/enums.js';
import { encodeGlobalId } from '../lib/global-id.js';
import { mentionedUserIds } from '../modules/chat/chat.inputs.js';
import { ensureGeneralChannel } from '../modules/chat/chat.service.js';

// Demo chat among the demo members of demo-data.ts, in the groups of groups.seed.ts: #general in
// every group, #jobs / #events / #random in two of them, threads, reactions, one edited and one
// deleted message, DMs. The demo login (Ada) finds a little unread: two channels, one DM and one
// mention of her. Everything is written exactly as the realtime protocol stores it (docs/ARCHITECTURE.md, "Realtime protocol"):
// one event per change with contiguous seqs, Conversation.lastSeq/lastMessageAt in step.
// Idempotent: channels are matched by (group, name), DMs by directKey, and a conversation that
// already has events (lastSeq > 0) is left alone. Runs after the groups seed.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

type Emoji = '👍' | '🎉' | '❤️' | '😂' | '👀' | '🙏' | '✅' | '🚀';

/** People are named by the local part of their demo address ("ada" for ada@guildhall.dev). */
interface Line {
  by: string;
  /** Markdown; `@{name}` becomes a mention of that member. */
  text: string;
  /** Hours before the seed runs: this line starts a new burst of conversation. */
  at?: number;
  /** A name for the line, so replies can point at it. */
  key?: string;
  /** Key of the thread root this line replies to. */
  in?: string;
  react?: Partial<Record<Emoji, string[]>>;
  /** The author corrected the text a few minutes later. */
  editedTo?: string;
  /** The author removed it a few minutes later; a tombstone keeps its place. */
  deleted?: boolean;
}

interface ScriptSeed {
  lines: Line[];
  /** How many of the last messages by others Ada has not read yet; 0 (or absent): all read. */
  adaUnread?: number;
}

interface ChannelSeed extends ScriptSeed {
  group: string;
  name: string;
  topic: string;
}

interface DirectSeed extends ScriptSeed {
  people: string[];
}

const ago = (days: number, hours = 0) => days * 24 + hours;

const CHANNELS: ChannelSeed[] = [
  {
    group: 'berlin-tech-association',
    name: 'general',
    topic: 'Say hi, ask anything, share what you are working on',
    adaUnread: 4,
    lines: [
      {
        by: 'priya',
        at: ago(13, 6),
        text: 'Welcome to the **Berlin Tech Association** chat 👋 A few house rules:\n\n1. Be kind, especially to people asking their first question\n2. Job posts go in #jobs, meetup logistics in #events\n3. No recruiter spam: if you post a role, name the salary range\n\nIntroduce yourself below!',
        react: { '👍': ['xavier', 'bruno', 'chen', 'elif'], '🎉': ['mateus', 'laura'] },
      },
      {
        by: 'elif',
        text: 'Hi all! Elif, Kotlin backend engineer at a travel start-up, moved to Berlin in March. Looking for people to go climbing with, and for a good PostgreSQL meetup 🧗',
        react: { '❤️': ['priya'] },
      },
      {
        by: 'ibrahim',
        text: 'Welcome Elif! The PostgreSQL meetup is on a break, but a few of us hang out in #events whenever something query-plan shaped comes up.',
      },
      {
        by: 'mateus',
        text: "Hi, I'm Mateus. First dev job (React + Node) after the Launchpad bootcamp. Based in Porto but in Berlin every other month. Happy to be here!",
        react: { '🎉': ['ada', 'priya', 'chen'] },
      },
      {
        by: 'kwame',
        at: ago(11, 3),
        text: 'Anyone else fighting `terraform plan` taking 6+ minutes on a big state? We split into ~40 stacks and it helped, but now cross-stack references are a mess.',
      },
      {
        by: 'bruno',
        text: 'We went the same way. What helped most: `-refresh=false` in CI for PRs that only touch one module, and a nightly full refresh that alerts on drift. Not pretty, but plans are under a minute now.',
        react: { '👀': ['kwame', 'samuel'] },
      },
      {
        by: 'samuel',
        text: '+1 to splitting by blast radius rather than by team. I wrote up how we did it: https://example.com/blog/terraform-state-splitting',
        react: { '🙏': ['kwame'] },
      },
      { by: 'kwame', text: 'Thanks both, the nightly drift job is a good idea.' },
      {
        by: 'chen',
        at: ago(8, 5),
        text: 'PSA for anyone shipping design systems: `:focus-visible` now behaves the same in Safari, Chrome and Firefox. If you still ship a polyfill for it, you can probably delete it 🎉',
        react: { '🚀': ['laura', 'xavier'], '👀': ['mateus'] },
      },
      {
        by: 'laura',
        text: 'Deleting code is the best kind of release note.',
        react: { '😂': ['chen', 'priya', 'bruno'] },
      },
      {
        by: 'xavier',
        at: ago(5, 2),
        text: "Reminder: the **salary survey 2025** closes Friday. It's anonymous and takes 6 minutes. Last year's results are at https://example.com/bta/salary-survey-2024 if you want to see what we do with it.",
        react: { '✅': ['ada', 'uwe', 'zoltan', 'quentin'] },
      },
      { by: 'uwe', text: 'Done. Would be great to see a split by company size this year, not just by seniority.' },
      { by: 'xavier', text: 'Good idea, @{uwe}. Noted for the report.' },
      {
        by: 'zoltan',
        at: ago(1, 7),
        text: "Does anyone run OpenTelemetry's Go SDK in production? Our collector's memory grows until it gets OOM-killed under burst load.",
      },
      {
        by: 'emeka',
        text: 'Check the collector pipeline first. We had no memory limiter and an unbounded batch size, so the queue just grew:\n\n```yaml\nprocessors:\n  memory_limiter:\n    check_interval: 1s\n    limit_percentage: 80\n  batch:\n    send_batch_size: 8192\n    send_batch_max_size: 10000\n    timeout: 5s\n```\n\n_Order matters_: `memory_limiter` has to come first in the pipeline.',
        react: { '👀': ['zoltan'], '🙏': ['kwame'] },
      },
      { by: 'zoltan', text: 'That was exactly it, we had no `memory_limiter` at all. Thank you!' },
      {
        by: 'priya',
        at: ago(0, 5),
        text: '@{ada} would you open the lightning talks with a 5-minute incident story? Your payments outage write-up would be perfect 🙏',
      },
    ],
  },
  {
    group: 'berlin-tech-association',
    name: 'jobs',
    topic: 'Roles with a salary range, please. One post per role; questions in its thread.',
    lines: [
      {
        by: 'samuel',
        at: ago(12, 4),
        key: 'cloud-job',
        text: '**Hiring: Senior Cloud Engineer (AWS, Terraform)** at Northwind Logistics\n\n- Berlin or remote within CET ±2\n- €78–92k, 30 days of holiday\n- Team of 6, moving the last two data centres to AWS by Q3\n- Visa sponsorship: yes\n\nDetails: https://example.com/careers/northwind/senior-cloud-engineer. Ask in the thread or DM me.',
        react: { '👀': ['kwame', 'elif'], '👍': ['priya'] },
      },
      { by: 'elif', in: 'cloud-job', text: 'Is on-call part of the role? And is it paid separately?' },
      {
        by: 'samuel',
        in: 'cloud-job',
        text: 'Yes: one week in six, paid €450 per week on top, plus time off in lieu for night pages.',
        react: { '✅': ['elif'] },
      },
      { by: 'kwame', in: 'cloud-job', text: "That's a fair on-call deal, and a good sign that they say it up front." },
      { by: 'elif', in: 'cloud-job', text: 'Applied! Thanks Samuel.', react: { '🚀': ['samuel'] } },
      {
        by: 'elif',
        at: ago(9, 6),
        text: "Can someone cover my on-call shift on Saturday? I'll swap for next week.",
        deleted: true,
      },
      {
        by: 'ibrahim',
        at: ago(7, 2),
        text: '**Hiring: Backend Engineer (Java/PostgreSQL)**, mid-level, at a health-insurance platform\n\n- €65–75k, hybrid (2 days a week in Mitte)\n- Java 21, Spring Boot, PostgreSQL 16, Kafka\n- Interviews: one take-home (capped at 3 hours, _paid_), one system design chat, one team chat\n\nhttps://example.com/jobs/healthbase/backend-engineer',
        react: { '🚀': ['priya'], '👍': ['uwe', 'mateus'] },
      },
      { by: 'mateus', text: 'A paid take-home with a time cap is so rare. Respect.' },
      {
        by: 'chen',
        at: ago(3, 4),
        text: "My team is hiring a **Frontend Engineer with accessibility experience** (React, TypeScript). Remote in the EU, €70–85k. Junior-friendly if you've shipped something accessible and can talk about it: https://example.com/careers/lumen/frontend-a11y",
        react: { '❤️': ['laura', 'ada'], '👀': ['mateus'] },
      },
      { by: 'laura', text: 'Shared it with two people from my docs accessibility circle.' },
    ],
  },
  {
    group: 'berlin-tech-association',
    name: 'events',
    topic: "Meetups, talks and who's going",
    lines: [
      {
        by: 'priya',
        at: ago(10, 8),
        key: 'talks',
        text: '**Lightning talks: what broke in production** is confirmed at Betahaus 🎉\n\n- Doors 18:30, talks from 19:00\n- 8 slots × 5 minutes\n- Room: _Kreuzberg 1_ on the 2nd floor\n\nRSVP on the event page, seats are limited.',
        editedTo:
          '**Lightning talks: what broke in production** is confirmed at Betahaus 🎉\n\n- Doors 18:30, talks from 19:00\n- 8 slots × 5 minutes\n- Room: _Kreuzberg 2_ on the 3rd floor (not 1, sorry!)\n\nRSVP on the event page, seats are limited.',
        react: { '🎉': ['xavier', 'bruno', 'kwame'] },
      },
      { by: 'bruno', in: 'talks', text: 'Is there a projector with HDMI, or should speakers bring adapters?' },
      {
        by: 'priya',
        in: 'talks',
        text: 'HDMI and USB-C both, plus a clicker. Bring your slides as a PDF as a backup.',
      },
      {
        by: 'zoltan',
        in: 'talks',
        text: "I'll bring a spare USB-C to HDMI adapter just in case.",
        react: { '🙏': ['priya'] },
      },
      {
        by: 'xavier',
        at: ago(6, 3),
        text: 'Looking for 2 more speakers for the lightning talks. Topics so far:\n\n1. _The DNS TTL that took down checkout_ (Kwame)\n2. _Our cron job ran twice a day for a year_ (Ibrahim)\n3. _When `rm -rf` met a symlink_ (Bruno)\n\nAnyone?',
        react: { '😂': ['emeka', 'quentin'] },
      },
      {
        by: 'quentin',
        text: 'I could do _fsync lies: a storage engine story_ if there is still a slot.',
        react: { '🙏': ['xavier'], '🚀': ['ibrahim'] },
      },
      { by: 'xavier', text: "@{quentin} you're in!" },
      {
        by: 'uwe',
        at: ago(2, 9),
        text: 'Will the talks be recorded? Some colleagues in Munich would love to watch.',
      },
      {
        by: 'priya',
        text: "Audio and slides only, and speakers can opt out. We'll post them at https://example.com/bta/talks",
        react: { '👍': ['uwe'] },
      },
    ],
  },
  {
    group: 'tum-alumni-in-tech',
    name: 'general',
    topic: 'Career questions, reunions, and chapter news',
    lines: [
      {
        by: 'julia',
        at: ago(13, 2),
        text: 'Hello alumni 👋 This is the place for career questions, reunions and the odd _who remembers the numerics exam_. Chapters have their own channels.',
        react: { '😂': ['uwe', 'divya', 'quentin'] },
      },
      { by: 'hana', text: "Hi from Tokyo! Anyone else in Japan? I'd love to start a small chapter here." },
      {
        by: 'deepak',
        text: 'Not in Japan, but I travel to Osaka twice a year for work. Count me in for a dinner.',
        react: { '❤️': ['hana'] },
      },
      {
        by: 'nadia',
        at: ago(9, 4),
        text: 'Question for the ML folks: has anyone moved from recommendation systems into LLM evaluation work? Wondering how transferable offline-metrics experience is.',
      },
      {
        by: 'divya',
        text: "Very transferable, in my opinion. Evaluation design, leakage, and _is the metric measuring the thing_ are the same problems. The tooling is new, the instincts aren't.",
      },
      {
        by: 'bjorn',
        text: 'Plus red-teaming, if you like breaking things. My reading list: https://example.com/reading/llm-eval',
        react: { '🙏': ['nadia'], '👍': ['divya'] },
      },
      {
        by: 'valentina',
        at: ago(4, 6),
        text: 'The Berlin chapter Stammtisch is on Thursday, details in the chapter channel. Munich people visiting are welcome!',
      },
      {
        by: 'uwe',
        at: ago(1, 3),
        text: "Reminder: the alumni association's mentoring call is open until the end of the month: https://example.com/tum-alumni/mentoring",
        react: { '👍': ['julia'], '✅': ['deepak'] },
      },
    ],
  },
  {
    group: 'tum-alumni-berlin',
    name: 'general',
    topic: 'Stammtisch on the first Thursday of the month',
    lines: [
      {
        by: 'uwe',
        at: ago(11, 7),
        text: "Stammtisch on Thursday at 19:00, _Prater Garten_ (inside if it rains). I'll reserve a table for 8.",
      },
      { by: 'valentina', text: "I'm in, and bringing a colleague who studied in Garching." },
      { by: 'quentin', text: "I'll be late, around 20:00." },
      {
        by: 'uwe',
        at: ago(4, 5),
        text: 'Table booked for this Thursday again, same place.',
        react: { '👍': ['quentin', 'valentina'] },
      },
    ],
  },
  {
    group: 'tum-alumni-london',
    name: 'general',
    topic: 'The London chapter',
    lines: [
      {
        by: 'divya',
        at: ago(12, 2),
        text: 'London chapter: shall we enter a pub quiz team again? The Old Street one, second Wednesday of the month.',
      },
      { by: 'nadia', text: 'Yes! Last time we lost the music round badly 😂' },
      { by: 'deepak', text: "I'll be in Osaka that week, sorry. Next month!" },
      {
        by: 'divya',
        at: ago(3, 8),
        text: 'Team name suggestions welcome. Current favourite: **Gradient Dissent**.',
        react: { '😂': ['nadia', 'deepak'] },
      },
    ],
  },
  {
    group: 'launchpad-bootcamp-alumni',
    name: 'general',
    topic: 'Alumni and mentors of the Launchpad coding bootcamp',
    lines: [
      {
        by: 'ada',
        at: ago(13, 5),
        text: 'Welcome to the alumni space 👋 Whether you graduated last month or five years ago: ask questions, share wins, help the next cohort. Mentors hang out here too.',
        react: { '❤️': ['rosa', 'wanjiru', 'tamar'] },
      },
      {
        by: 'mateus',
        at: ago(10, 2),
        key: 'system-design',
        text: "I have my first **system design interview** next week (mid-level role). I've only ever built CRUD apps. Where do I even start?",
        react: { '👀': ['camila', 'gabriel'] },
      },
      {
        by: 'ada',
        in: 'system-design',
        text: "Start from the requirements, out loud. Interviewers care more about the questions you ask than the boxes you draw. A structure that works:\n\n1. Clarify users, scale and what _done_ means\n2. Sketch the API first\n3. Data model, then the storage choice\n4. Only then: caches, queues, scaling\n\nAnd say what you'd **measure**.",
        react: { '🙏': ['mateus'], '❤️': ['camila'] },
      },
      {
        by: 'rosa',
        in: 'system-design',
        text: 'Practise on something you built. Take your bootcamp project and ask: what breaks at 100× the users?',
      },
      {
        by: 'wanjiru',
        in: 'system-design',
        text: "And it's fine to say _I haven't done this in production, but here is how I'd reason about it_. Honesty reads as seniority.",
        react: { '👍': ['ada', 'tamar'] },
      },
      {
        by: 'tamar',
        in: 'system-design',
        text: 'This free course helped me a lot: https://example.com/courses/system-design-primer',
      },
      { by: 'mateus', in: 'system-design', text: 'Thank you all! Doing a mock interview with @{ada} on Thursday 🙏' },
      {
        by: 'gabriel',
        at: ago(7, 4),
        text: 'My weekend Kotlin course starts again on Saturday, free for anyone changing careers. 10 seats, beginner friendly: https://example.com/kotlin-weekend',
        react: { '🚀': ['aisha', 'ada'], '🎉': ['camila'] },
      },
      { by: 'aisha', text: "Sent it to my cousin, she's been wanting to try Android." },
      {
        by: 'camila',
        at: ago(5, 1),
        text: 'Small win: my move from **product designer to associate PM** was approved at work 🎉',
        react: { '🎉': ['ada', 'rosa', 'tamar', 'aisha', 'wanjiru'], '❤️': ['gabriel'] },
      },
      { by: 'wanjiru', text: "Huge, @{camila}! Let's update your growth plan at our next session." },
      {
        by: 'rosa',
        at: ago(2, 6),
        text: "We're planning demo day for the spring cohort. If you'd like to be a **judge** or give a 10-minute talk, reply here. Date coming soon.",
      },
      {
        by: 'tamar',
        text: "I'd love to judge again. Last year was the best afternoon of my year.",
        react: { '❤️': ['rosa'] },
      },
      { by: 'aisha', text: 'Happy to talk about React Native bridges if that helps the mobile track.' },
    ],
  },
  {
    group: 'launchpad-bootcamp-alumni',
    name: 'jobs',
    topic: 'Junior-friendly roles and referrals',
    adaUnread: 3,
    lines: [
      {
        by: 'rosa',
        at: ago(11, 5),
        text: "Junior-friendly roles only here, please, and say whether you can refer. I'll start:\n\n**QA Automation Engineer (junior)** at Brightline Software. Java + Playwright, remote in the EU, €45–52k. I can refer. https://example.com/jobs/brightline/qa-automation",
        react: { '👀': ['mateus', 'camila'], '🙏': ['gabriel'] },
      },
      { by: 'mateus', text: 'Do they take people without a CS degree?' },
      { by: 'rosa', text: 'Yes, two of their QA engineers are Launchpad alumni.', react: { '🎉': ['mateus'] } },
      {
        by: 'aisha',
        at: ago(6, 7),
        text: '**React Native developer (junior/mid)** at a health-tech start-up in Lisbon. Hybrid, €38–46k, visa sponsorship. I can refer, DM me. https://example.com/jobs/pulse-health/react-native',
        react: { '👍': ['tamar'] },
      },
      {
        by: 'gabriel',
        at: ago(1, 9),
        text: 'Android internship, 6 months, paid (R$ 4,500/month) at a fintech in São Paulo, remote possible for people living in Brazil: https://example.com/jobs/finpix/android-intern',
      },
      {
        by: 'camila',
        text: '**Associate Product Manager** at my company. They want someone with a design or support background, so bootcamp grads are welcome. https://example.com/jobs/brightpath/apm',
      },
      {
        by: 'tamar',
        text: 'Tip for anyone applying: tailor the first 3 lines of your CV to the posting. Recruiters told me that is all they read on the first pass.',
        react: { '👍': ['rosa'] },
      },
    ],
  },
  {
    group: 'launchpad-bootcamp-alumni',
    name: 'random',
    topic: 'Off-topic: desks, pets, memes',
    lines: [
      {
        by: 'tamar',
        at: ago(12, 9),
        text: 'Show us your desk setup! Mine has a plant that is _definitely_ dying.',
        react: { '😂': ['camila', 'ada'] },
      },
      {
        by: 'gabriel',
        text: "Mine is a kitchen table and a laptop stand made of Kotlin books. They're finally useful.",
        react: { '😂': ['tamar', 'aisha', 'mateus'] },
      },
      {
        by: 'camila',
        at: ago(8, 2),
        text: 'Does anyone else name their git branches after snacks, or is that just me? `feature/pretzel-auth`',
      },
      {
        by: 'mateus',
        text: '`fix/croissant-timezones` is open in my repo right now, so no.',
        react: { '😂': ['camila', 'rosa'] },
      },
      {
        by: 'aisha',
        at: ago(3, 3),
        text: 'My cat walked over the keyboard and pushed `jjjjjjjjjjj` to main. Branch protection exists for a reason.',
        react: { '😂': ['ada', 'tamar', 'gabriel', 'camila'] },
      },
    ],
  },
  {
    group: 'launchpad-cohort-2023-spring',
    name: 'general',
    topic: 'Spring 2023 cohort',
    lines: [
      {
        by: 'tamar',
        at: ago(12, 4),
        text: 'Two years since we graduated! Reunion dinner? 🎉',
        react: { '🎉': ['mateus', 'ada'] },
      },
      { by: 'ada', text: "Yes! Let's do a video call first, since Mateus is in Porto." },
      { by: 'mateus', text: 'A video call works. Any evening except Tuesday.' },
      {
        by: 'ada',
        at: ago(9, 3),
        text: 'Call booked for Thursday, 19:00 CET: https://example.com/meet/spring-2023-reunion',
        react: { '✅': ['tamar', 'mateus'] },
      },
    ],
  },
  {
    group: 'launchpad-cohort-2024-autumn',
    name: 'general',
    topic: 'Autumn 2024 cohort: job search and code reviews',
    lines: [
      {
        by: 'rosa',
        at: ago(10, 6),
        text: "How's the job search going, everyone? Share one thing that worked and one that didn't.",
      },
      {
        by: 'gabriel',
        text: "**Worked:** contributing to an open-source Android library, which got me an interview.\n**Didn't:** mass-applying with the same CV.",
      },
      {
        by: 'camila',
        text: "**Worked:** informational chats with PMs.\n**Didn't:** cover letters nobody reads.",
        react: { '👍': ['rosa'] },
      },
      {
        by: 'camila',
        at: ago(2, 8),
        text: "Quick one before Sunday's review session: why does this test pass in CI and fail on my laptop?\n\n```ts\nexpect(formatDate(new Date('2024-03-31T23:30:00Z'))).toBe('31 March 2024');\n```",
      },
      {
        by: 'gabriel',
        text: "Your laptop isn't in UTC: 23:30Z is already 1 April in Berlin. Pass `timeZone: 'UTC'` to `Intl.DateTimeFormat`, or run the tests with `TZ=UTC`.",
        react: { '🙏': ['camila'], '✅': ['rosa'] },
      },
      {
        by: 'rosa',
        at: ago(1, 4),
        text: 'Code review session on Sunday, 11:00 CET. Post your PR links here when it starts.',
      },
    ],
  },
  {
    group: 'guildhall-mentoring-program',
    name: 'general',
    topic: 'Staff mentoring: six-month pairs with agreed goals',
    lines: [
      {
        by: 'wanjiru',
        at: ago(13, 8),
        text: 'Welcome to the **Guildhall Mentoring Program**, round 3 🎉\n\n- Pairs meet every two weeks for six months\n- Agree 2–3 SMART goals in the first session\n- Check-ins are short: what moved, what is stuck, what is next\n\nThe guide: https://example.com/guildhall/mentoring-guide',
        react: { '🎉': ['julia', 'ada', 'finn', 'yara', 'deepak'] },
      },
      {
        by: 'finn',
        text: "Excited to start! I'm paired with @{ada}. First goal: get comfortable reviewing other people's TypeScript.",
        react: { '❤️': ['ada'] },
      },
      { by: 'yara', text: 'Is it OK to have a mentor outside engineering? My goals are about accessibility research.' },
      {
        by: 'julia',
        text: 'Absolutely. Pairs are matched on goals, not job titles. @{wanjiru} can suggest someone.',
      },
      { by: 'deepak', at: ago(6, 4), text: "Mentors: what's your go-to question when a check-in goes quiet?" },
      {
        by: 'ada',
        text: '_What did you avoid this week?_ It usually opens the real conversation.',
        react: { '👍': ['deepak', 'julia'], '❤️': ['wanjiru'] },
      },
      { by: 'julia', text: 'Stealing that.' },
      {
        by: 'wanjiru',
        at: ago(2, 2),
        text: 'The mid-round survey is out, 5 questions: https://example.com/guildhall/mentoring-survey. Please fill it in by Friday 🙏',
        react: { '✅': ['ada', 'finn', 'mateus'] },
      },
    ],
  },
];

const DIRECTS: DirectSeed[] = [
  {
    people: ['ada', 'priya'],
    lines: [
      {
        by: 'priya',
        at: ago(9, 5),
        text: 'Hey Ada! Thanks for filling in the salary survey. Quick question: should remote people paid by Berlin companies be counted in the Berlin numbers, or split out?',
      },
      {
        by: 'ada',
        text: 'Split them out, please. Remote-for-Berlin salaries are their own story, and mixing them hides it.',
      },
      { by: 'priya', text: 'Makes sense, will do.' },
      {
        by: 'ada',
        at: ago(3, 6),
        text: 'By the way, happy to help review the lightning talk submissions if you need another pair of eyes.',
        react: { '🙏': ['priya'] },
      },
      { by: 'priya', text: "Yes please! I'll share the doc tonight." },
    ],
  },
  {
    people: ['ada', 'mateus'],
    adaUnread: 2,
    lines: [
      {
        by: 'mateus',
        at: ago(8, 3),
        text: 'Hi Ada, thanks again for the advice in the thread. Could we do the mock interview on Thursday at 18:00 your time?',
      },
      {
        by: 'ada',
        text: "Thursday 18:00 works. We'll design a URL shortener: a classic, but good practice. Bring questions, not answers.",
      },
      {
        by: 'mateus',
        at: ago(6, 2),
        text: 'That was really helpful. My notes, in case you want to check I got it right: https://example.com/notes/mock-system-design',
        react: { '❤️': ['ada'] },
      },
      {
        by: 'mateus',
        at: ago(0, 3),
        text: 'The interview went well, I think! They asked me to defend this bit of my take-home though:\n\n```ts\nconst users = await Promise.all(ids.map((id) => fetchUser(id)));\n```\n\nand what happens with 10,000 ids.',
      },
      {
        by: 'mateus',
        text: "I said _it's fine_, which I now suspect was not the answer 😅 How would you have answered?",
      },
    ],
  },
  {
    people: ['ada', 'wanjiru'],
    lines: [
      {
        by: 'wanjiru',
        at: ago(11, 4),
        text: 'Ada, could you take a second mentee this round? Yara is looking for someone with accessibility experience, but you might know a better match.',
      },
      {
        by: 'ada',
        text: "I'd rather not take two, Finn deserves proper time. For Yara: Chen Wei is the best accessibility person I know. Shall I introduce them?",
      },
      { by: 'wanjiru', text: 'Yes please, that would be perfect 🙏' },
      {
        by: 'ada',
        at: ago(10, 2),
        text: 'Done, intro sent. Chen is keen.',
        react: { '🎉': ['wanjiru'] },
      },
    ],
  },
  {
    people: ['ada', 'rosa', 'wanjiru'],
    lines: [
      {
        by: 'rosa',
        at: ago(4, 3),
        text: "Demo day planning: I'm thinking the Saturday after next, 14:00–18:00 at the Launchpad space. 6 teams, 10 minutes each plus questions.",
      },
      {
        by: 'wanjiru',
        text: "Works for me. Judges: Tamar offered, and I'll ask two people from the mentoring program.",
      },
      {
        by: 'ada',
        text: "I'll MC if you like. So we don't forget:\n\n- Book the room and the stream\n- Judging rubric (reuse last year's?)\n- Snacks for ~60 people\n- Certificates",
      },
      {
        by: 'rosa',
        text: "Perfect. I'll take the room and the rubric.",
        react: { '👍': ['ada', 'wanjiru'] },
      },
      { by: 'wanjiru', at: ago(1, 2), text: 'Two judges confirmed, both from the program ✅' },
      { by: 'ada', text: 'Great. Snacks are ordered.' },
    ],
  },
  {
    // Not Ada's: the demo login must not see it.
    people: ['bruno', 'kwame'],
    lines: [
      {
        by: 'kwame',
        at: ago(7, 6),
        text: 'Your `-refresh=false` tip cut our PR plans from 6 minutes to 50 seconds. I owe you a drink at the lightning talks.',
      },
      { by: 'bruno', text: "Glad it worked. I'll hold you to that." },
    ],
  },
];

const DEMO_LOGIN_NAME = 'ada';

interface Person {
  id: string;
  name: string;
}

/** Time-ordered v7 ids made here, because replies and events must point at messages before insert. */
function uuidV7(ms: number): string {
  const bytes = randomBytes(16);
  for (let i = 0; i < 6; i += 1) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A small stable hash, so "who has read what" is the same on every run. */
function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.codePointAt(0)!, 16777619);
  return h >>> 0;
}

function namesIn(seed: ScriptSeed): Set<string> {
  const names = new Set<string>();
  for (const line of seed.lines) {
    names.add(line.by);
    for (const reactors of Object.values(line.react ?? {})) for (const name of reactors) names.add(name);
    for (const match of `${line.text}${line.editedTo ?? ''}`.matchAll(/@\{(\w+)\}/g)) names.add(match[1]!);
  }
  return names;
}

interface PlannedMessage {
  index: number;
  line: Line;
  seq: number;
  at: number;
  parent: number | null;
  replyCount: number;
  lastReplyAt: number | null;
  editedAt: number | null;
  deletedAt: number | null;
}

interface Plan {
  messages: PlannedMessage[];
  events: Array<{ seq: number; kind: ConversationEventKind; message: number; at: number }>;
  reactions: Array<{ message: number; by: string; emoji: Emoji; at: number }>;
  lastSeq: number;
}

/** Lays the script out as the server would have stored it: one event per change, seq 1, 2, 3, … */
function planConversation(seed: ScriptSeed, now: number): Plan {
  const plan: Plan = { messages: [], events: [], reactions: [], lastSeq: 0 };
  const byKey = new Map<string, PlannedMessage>();
  let clock = now - ago(14) * HOUR;
  // Every event strictly after the previous one, so time increases with seq.
  const tick = (wanted: number) => (clock = Math.max(wanted, clock + 1000));
  const event = (kind: ConversationEventKind, message: PlannedMessage, at: number) => {
    plan.lastSeq += 1;
    plan.events.push({ seq: plan.lastSeq, kind, message: message.index, at });
  };

  for (const [i, line] of seed.lines.entries()) {
    // A burst starts at some minute of its hour; within it, lines follow 2 to 18 minutes apart.
    const at = tick(
      line.at !== undefined
        ? now - line.at * HOUR - (hash(line.text) % 53) * MINUTE
        : clock + (2 + ((i * 37 + 11) % 17)) * MINUTE,
    );
    const root = line.in !== undefined ? byKey.get(line.in) : undefined;
    if (line.in !== undefined && (!root || root.parent !== null))
      throw new Error(`chat seed: no thread root "${line.in}"`);
    const message: PlannedMessage = {
      index: plan.messages.length,
      line,
      seq: plan.lastSeq + 1,
      at,
      parent: root ? root.index : null,
      replyCount: 0,
      lastReplyAt: null,
      editedAt: null,
      deletedAt: null,
    };
    plan.messages.push(message);
    if (line.key) byKey.set(line.key, message);
    event('MESSAGE_ADDED', message, at);
    if (root) {
      root.replyCount += 1;
      root.lastReplyAt = at;
      event('THREAD_UPDATED', root, tick(at));
    }
    let k = 0;
    for (const [emoji, reactors] of Object.entries(line.react ?? {}) as Array<[Emoji, string[]]>) {
      for (const by of reactors) {
        const reactedAt = tick(clock + (1 + (k % 4)) * MINUTE);
        plan.reactions.push({ message: message.index, by, emoji, at: reactedAt });
        event('REACTION_CHANGED', message, reactedAt);
        k += 1;
      }
    }
    if (line.editedTo !== undefined) {
      message.editedAt = tick(clock + 4 * MINUTE);
      event('MESSAGE_EDITED', message, message.editedAt);
    }
    if (line.deleted) {
      message.deletedAt = tick(clock + 3 * MINUTE);
      event('MESSAGE_DELETED', message, message.deletedAt);
    }
  }

  // A burst planned "a few hours ago" may run past now: move the whole conversation back.
  const overrun = clock - (now - MINUTE);
  if (overrun > 0) {
    for (const message of plan.messages) {
      message.at -= overrun;
      if (message.lastReplyAt !== null) message.lastReplyAt -= overrun;
      if (message.editedAt !== null) message.editedAt -= overrun;
      if (message.deletedAt !== null) message.deletedAt -= overrun;
    }
    for (const row of [...plan.events, ...plan.reactions]) row.at -= overrun;
  }
  return plan;
}

/**
 * Writes one planned conversation into `conversationId`, which must exist. Claims it first with a
 * conditional update (lastSeq 0 → N), so a conversation that has history is never touched.
 */
async function fillConversation(
  tx: Prisma.TransactionClient,
  conversationId: string,
  seed: ScriptSeed,
  plan: Plan,
  people: ReadonlyMap<string, Person>,
  readers: readonly string[],
  extra: { topic?: string },
): Promise<boolean> {
  const firstAt = plan.messages[0]!.at;
  const lastMessageAt = Math.max(...plan.messages.map((m) => m.at));
  const claimed = await tx.conversation.updateMany({
    where: { id: conversationId, lastSeq: 0 },
    data: {
      lastSeq: plan.lastSeq,
      lastMessageAt: new Date(lastMessageAt),
      createdAt: new Date(firstAt - HOUR),
      ...extra,
    },
  });
  if (claimed.count === 0) return false;

  const person = (name: string) => people.get(name)!;
  const ids = plan.messages.map((m) => uuidV7(m.at));
  const mention = (name: string) => `@[${person(name).name}](${encodeGlobalId('Person', person(name).id)})`;
  const rows = plan.messages.map((m) => {
    const sender = person(m.line.by);
    const text = m.line.editedTo ?? m.line.text;
    return {
      id: ids[m.index]!,
      conversationId,
      seq: m.seq,
      senderId: sender.id,
      clientId: `seed-${m.seq}`,
      parentId: m.parent === null ? null : ids[m.parent]!,
      body: m.deletedAt !== null ? '' : text.replace(/@\{(\w+)\}/g, (_, name: string) => mention(name)),
      replyCount: m.replyCount,
      lastReplyAt: m.lastReplyAt === null ? null : new Date(m.lastReplyAt),
      editedAt: m.editedAt === null ? null : new Date(m.editedAt),
      deletedAt: m.deletedAt === null ? null : new Date(m.deletedAt),
      deletedById: m.deletedAt === null ? null : sender.id,
      createdAt: new Date(m.at),
    };
  });
  // Roots before replies: a reply's parent must exist.
  await tx.message.createMany({ data: rows.filter((row) => row.parentId === null) });
  await tx.message.createMany({ data: rows.filter((row) => row.parentId !== null) });
  await tx.conversationEvent.createMany({
    data: plan.events.map((e) => ({
      conversationId,
      seq: e.seq,
      kind: e.kind,
      messageId: ids[e.message]!,
      createdAt: new Date(e.at),
    })),
  });
  if (plan.reactions.length > 0) {
    await tx.messageReaction.createMany({
      data: plan.reactions.map((r) => ({
        messageId: ids[r.message]!,
        userId: person(r.by).id,
        emoji: r.emoji,
        createdAt: new Date(r.at),
      })),
    });
  }
  // Read back from the stored text with the server's own parser, so both agree on who was named.
  const mentions = rows.flatMap((row) => mentionedUserIds(row.body).map((userId) => ({ messageId: row.id, userId })));
  if (mentions.length > 0) await tx.messageMention.createMany({ data: mentions });

  const markers = readMarkers(conversationId, seed, plan, people, readers);
  await tx.readMarker.createMany({ data: markers, skipDuplicates: true });
  // The bell shows each mention too: read when the conversation was read past it.
  const readUpTo = new Map(markers.map((marker) => [marker.userId, marker.lastReadSeq]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  await tx.notification.createMany({
    data: mentions.map(({ messageId, userId }) => {
      const row = byId.get(messageId)!;
      return {
        recipientId: userId,
        kind: 'MENTIONED',
        actorId: row.senderId,
        subjectId: encodeGlobalId('Message', messageId),
        data: { conversationId, messageId },
        createdAt: row.createdAt,
        readAt: (readUpTo.get(userId) ?? 0) >= row.seq ? row.createdAt : null,
      };
    }),
  });
  return true;
}

/** Ada: all read except `adaUnread` trailing messages by others. Others: read to the end or to their last post. */
function readMarkers(
  conversationId: string,
  seed: ScriptSeed,
  plan: Plan,
  people: ReadonlyMap<string, Person>,
  readers: readonly string[],
): Prisma.ReadMarkerCreateManyInput[] {
  const markers: Prisma.ReadMarkerCreateManyInput[] = [];
  const label = seed.lines[0]!.text.slice(0, 40);
  const lastPost = new Map<string, number>();
  for (const m of plan.messages) lastPost.set(m.line.by, m.seq);
  const lastAuthor = plan.messages.at(-1)!.line.by;

  for (const name of readers) {
    const user = people.get(name);
    if (!user) continue;
    let lastReadSeq: number | null = plan.lastSeq;
    if (name === DEMO_LOGIN_NAME) {
      const unread = seed.adaUnread ?? 0;
      const fromOthers = plan.messages.filter((m) => m.line.by !== name && m.deletedAt === null);
      if (unread > 0) lastReadSeq = fromOthers[Math.max(0, fromOthers.length - unread)]!.seq - 1;
    } else if (name !== lastAuthor) {
      const h = hash(`${name}:${label}`) % 3;
      const own = lastPost.get(name);
      // Some caught up, some stopped reading where they last wrote, some never opened it.
      if (h === 1) lastReadSeq = own ?? null;
      else if (h === 2 && own === undefined) lastReadSeq = null;
    }
    if (lastReadSeq !== null) markers.push({ conversationId, userId: user.id, lastReadSeq, updatedAt: new Date() });
  }
  return markers;
}

export async function seedChat(db: Db, now = Date.now()): Promise<{ conversations: number }> {
  const users = await db.user.findMany({
    where: { email: { endsWith: '@guildhall.dev' } },
    select: { id: true, name: true, email: true },
  });
  const people = new Map(users.map((user) => [user.email.split('@')[0]!, { id: user.id, name: user.name }]));
  const groups = await db.group.findMany({
    select: {
      id: true,
      slug: true,
      memberships: { orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }], select: { userId: true, role: true } },
    },
  });
  const nameOf = new Map(users.map((user) => [user.id, user.email.split('@')[0]!]));
  let filled = 0;

  for (const group of groups) {
    const members = group.memberships.flatMap((m) => nameOf.get(m.userId) ?? []);
    const owner = group.memberships.find((m) => m.role === 'OWNER')?.userId ?? null;
    // Every group has #general, scripted or not, made the way the server makes it.
    await ensureGeneralChannel(db, group.id, owner);
    for (const channel of CHANNELS.filter((c) => c.group === group.slug)) {
      // Only members of the group may speak (or react, or be named) in its channels.
      const speakable = [...namesIn(channel)].every((name) => members.includes(name));
      await db.$transaction(async (tx) => {
        const conversation = await tx.conversation.upsert({
          where: { groupId_name: { groupId: group.id, name: channel.name } },
          create: {
            id: uuidV7(now - ago(15) * HOUR),
            kind: 'CHANNEL',
            groupId: group.id,
            name: channel.name,
            topic: channel.topic,
            isDefault: channel.name === 'general',
            createdById: owner,
          },
          update: {},
          select: { id: true, lastSeq: true },
        });
        if (!speakable || conversation.lastSeq > 0) return;
        const plan = planConversation(channel, now);
        const topic = channel.topic ? { topic: channel.topic } : {};
        if (await fillConversation(tx, conversation.id, channel, plan, people, members, topic)) filled += 1;
      });
    }
  }

  for (const direct of DIRECTS) {
    const participants = direct.people.map((name) => people.get(name));
    if (participants.some((p) => !p) || ![...namesIn(direct)].every((name) => direct.people.includes(name))) continue;
    const ids = participants.map((p) => p!.id);
    const directKey = [...ids].sort().join(',');
    await db.$transaction(async (tx) => {
      const plan = planConversation(direct, now);
      const createdAt = new Date(plan.messages[0]!.at - HOUR);
      const conversation = await tx.conversation.upsert({
        where: { directKey },
        create: {
          id: uuidV7(createdAt.getTime()),
          kind: 'DIRECT',
          directKey,
          createdById: people.get(direct.lines[0]!.by)!.id,
          createdAt,
        },
        update: {},
        select: { id: true, lastSeq: true },
      });
      if (conversation.lastSeq > 0) return;
      await tx.conversationParticipant.createMany({
        data: ids.map((userId) => ({ conversationId: conversation.id, userId, joinedAt: createdAt })),
        skipDuplicates: true,
      });
      if (await fillConversation(tx, conversation.id, direct, plan, people, direct.people, {})) filled += 1;
    });
  }
  return { conversations: filled };
}
