import type { Db } from '../db.js';
import type { FieldVisibility, OpenTo, SkillLevel } from '../generated/prisma/enums.js';

// Fuller profiles for the demo members of demo-data.ts: bios, places, time zones, skill levels,
// what they are open to, links, and a few members who keep some fields to themselves or to the
// people they share a group with. Idempotent: it sets the same values every run (members are
// matched by email, links replaced as a whole).

interface DemoProfile {
  bio: string;
  location: string;
  timeZone: string;
  openTo: OpenTo[];
  /** Levels of the member's seeded skills, by skill name; unnamed ones stay WORKING. */
  levels?: Record<string, SkillLevel>;
  links?: Array<{ label: string; url: string }>;
  visibility?: Partial<
    Record<'headline' | 'bio' | 'location' | 'timeZone' | 'skills' | 'openTo' | 'links', FieldVisibility>
  >;
}

const PROFILES: Record<string, DemoProfile> = {
  'ada@guildhall.dev': {
    bio: 'Fifteen years of backend work, the last five leading a payments platform team. I mentor engineers stepping into their first lead role and love a good incident review.',
    location: 'Lagos, Nigeria',
    timeZone: 'Africa/Lagos',
    openTo: ['MENTORING', 'INTRODUCTIONS'],
    levels: { TypeScript: 'EXPERT', 'Distributed Systems': 'EXPERT', 'Engineering Management': 'WORKING' },
    links: [
      { label: 'GitHub', url: 'https://github.com/ada-okafor' },
      { label: 'Blog', url: 'https://ada.example.dev' },
    ],
  },
  'bruno@guildhall.dev': {
    bio: 'Runs the internal platform for 40 product teams. Happy to talk cluster upgrades, on-call sanity and Go.',
    location: 'Stockholm, Sweden',
    timeZone: 'Europe/Stockholm',
    openTo: ['MENTORING'],
    levels: { Kubernetes: 'EXPERT', Go: 'EXPERT' },
    links: [{ label: 'GitHub', url: 'https://github.com/bruno-lindqvist' }],
  },
  'chen@guildhall.dev': {
    bio: 'Frontend lead building a design system used by six apps. Accessibility is not optional.',
    location: 'Singapore',
    timeZone: 'Asia/Singapore',
    openTo: ['MENTORING', 'HIRING'],
    levels: { React: 'EXPERT', Accessibility: 'EXPERT' },
    links: [{ label: 'Portfolio', url: 'https://chenwei.example.com' }],
  },
  'divya@guildhall.dev': {
    bio: 'Pipelines by day, learning ML platforms by night. Looking for someone who has made the same move.',
    location: 'Bengaluru, India',
    timeZone: 'Asia/Kolkata',
    openTo: ['BEING_MENTORED', 'INTRODUCTIONS'],
    levels: { 'Data Engineering': 'EXPERT', 'Machine Learning': 'LEARNING' },
  },
  'emeka@guildhall.dev': {
    bio: 'AppSec engineer. Threat models, secure code reviews, and helping developers ship safely.',
    location: 'London, United Kingdom',
    timeZone: 'Europe/London',
    openTo: ['MENTORING'],
    levels: { Security: 'EXPERT' },
    // Keeps where he lives to himself.
    visibility: { location: 'ONLY_ME' },
  },
  'fatima@guildhall.dev': {
    bio: 'Product manager for developer tools; previously a support engineer, so I read every ticket.',
    location: 'Casablanca, Morocco',
    timeZone: 'Africa/Casablanca',
    openTo: ['INTRODUCTIONS', 'HIRING'],
    levels: { 'Product Management': 'EXPERT', 'UX Research': 'WORKING' },
    links: [{ label: 'LinkedIn', url: 'https://www.linkedin.com/in/fatima-zahra-benali' }],
  },
  'gabriel@guildhall.dev': {
    bio: 'Android developer and Kotlin trainer. I run a free weekend course for career changers.',
    location: 'São Paulo, Brazil',
    timeZone: 'America/Sao_Paulo',
    openTo: ['MENTORING'],
    levels: { Android: 'EXPERT', Kotlin: 'EXPERT' },
  },
  'hana@guildhall.dev': {
    bio: 'UX researcher who moved from an agency into fintech. Interviews, diary studies, and turning them into decisions.',
    location: 'Tokyo, Japan',
    timeZone: 'Asia/Tokyo',
    openTo: ['INTRODUCTIONS'],
    levels: { 'UX Research': 'EXPERT' },
    // Shares her skills and links only with people she is in a group with.
    visibility: { skills: 'SHARED_GROUPS', links: 'SHARED_GROUPS' },
    links: [{ label: 'Talks', url: 'https://hana.example.jp/talks' }],
  },
  'ibrahim@guildhall.dev': {
    bio: 'Backend engineer obsessed with query plans. Ask me about indexes.',
    location: 'Amman, Jordan',
    timeZone: 'Asia/Amman',
    openTo: ['MENTORING'],
    levels: { PostgreSQL: 'EXPERT', Java: 'WORKING', 'Distributed Systems': 'WORKING' },
  },
  'julia@guildhall.dev': {
    bio: 'Engineering manager of two product teams. I care about growth plans and sustainable pace.',
    location: 'Warsaw, Poland',
    timeZone: 'Europe/Warsaw',
    openTo: ['MENTORING', 'HIRING'],
    levels: { 'Engineering Management': 'EXPERT', 'Career Coaching': 'WORKING' },
  },
  'kwame@guildhall.dev': {
    bio: 'SRE at a streaming service. Error budgets, Terraform, and quieter pagers.',
    location: 'Accra, Ghana',
    timeZone: 'Africa/Accra',
    openTo: ['INTRODUCTIONS'],
    levels: { 'Site Reliability': 'EXPERT', Terraform: 'EXPERT' },
  },
  'laura@guildhall.dev': {
    bio: 'Technical writer for APIs and SDKs. Docs are a product.',
    location: 'Madrid, Spain',
    timeZone: 'Europe/Madrid',
    openTo: ['MENTORING'],
    levels: { 'Technical Writing': 'EXPERT', GraphQL: 'WORKING', TypeScript: 'LEARNING' },
    links: [{ label: 'Docs portfolio', url: 'https://laura.example.es' }],
  },
  'mateus@guildhall.dev': {
    bio: 'First developer job after a bootcamp. Looking for a mentor and for good code reviews.',
    location: 'Porto, Portugal',
    timeZone: 'Europe/Lisbon',
    openTo: ['BEING_MENTORED'],
    levels: { React: 'LEARNING', 'Node.js': 'LEARNING', Testing: 'LEARNING' },
  },
  'nadia@guildhall.dev': {
    bio: 'ML engineer on recommendation systems.',
    location: 'Sofia, Bulgaria',
    timeZone: 'Europe/Sofia',
    openTo: ['HIRING'],
    levels: { 'Machine Learning': 'EXPERT', Python: 'EXPERT' },
    // A private person: headline and open-to only for her groups, bio for nobody.
    visibility: { headline: 'SHARED_GROUPS', bio: 'ONLY_ME', openTo: 'SHARED_GROUPS' },
  },
  'priya@guildhall.dev': {
    bio: 'Full-stack developer and meetup organiser. Always looking for speakers.',
    location: 'Berlin, Germany',
    timeZone: 'Europe/Berlin',
    openTo: ['INTRODUCTIONS', 'MENTORING'],
    levels: { TypeScript: 'EXPERT', 'Node.js': 'EXPERT', PostgreSQL: 'WORKING' },
    links: [{ label: 'Meetup', url: 'https://meetup.example.com/berlin-ts' }],
  },
  'quentin@guildhall.dev': {
    bio: 'Rust systems programmer working on storage engines.',
    location: 'Lyon, France',
    timeZone: 'Europe/Paris',
    openTo: ['MENTORING'],
    levels: { Rust: 'EXPERT', 'Distributed Systems': 'EXPERT' },
  },
  'samuel@guildhall.dev': {
    bio: 'Cloud architect who helps teams leave the data centre without leaving their sanity.',
    location: 'Toronto, Canada',
    timeZone: 'America/Toronto',
    openTo: ['HIRING', 'INTRODUCTIONS'],
    levels: { AWS: 'EXPERT', Terraform: 'WORKING', Kubernetes: 'WORKING' },
  },
  'wanjiru@guildhall.dev': {
    bio: 'Career coach for engineers changing fields. Ex-PM, ex-teacher.',
    location: 'Nairobi, Kenya',
    timeZone: 'Africa/Nairobi',
    openTo: ['MENTORING', 'INTRODUCTIONS'],
    levels: { 'Career Coaching': 'EXPERT' },
  },
  'xavier@guildhall.dev': {
    bio: 'GraphQL API designer and open-source maintainer.',
    location: 'Brussels, Belgium',
    timeZone: 'Europe/Brussels',
    openTo: ['MENTORING'],
    levels: { GraphQL: 'EXPERT', TypeScript: 'EXPERT' },
    links: [{ label: 'GitHub', url: 'https://github.com/xavier-dubois' }],
  },
  'yara@guildhall.dev': {
    bio: 'Graduate student in HCI looking for a mentor in accessibility research.',
    location: 'Beirut, Lebanon',
    timeZone: 'Asia/Beirut',
    openTo: ['BEING_MENTORED'],
    levels: { 'UX Research': 'LEARNING', Python: 'WORKING' },
    visibility: { location: 'SHARED_GROUPS', timeZone: 'SHARED_GROUPS' },
  },
  'finn@guildhall.dev': {
    bio: 'Apprentice developer, learning TypeScript one bug at a time.',
    location: 'Dublin, Ireland',
    timeZone: 'Europe/Dublin',
    openTo: ['BEING_MENTORED'],
    levels: { TypeScript: 'LEARNING', Testing: 'LEARNING', React: 'LEARNING' },
  },
};

export async function seedPeopleProfiles(db: Db): Promise<void> {
  for (const [email, profile] of Object.entries(PROFILES)) {
    const user = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) continue;
    await db.$transaction(async (tx) => {
      await tx.user.update({
        where: { id: user.id },
        data: {
          bio: profile.bio,
          location: profile.location,
          timeZone: profile.timeZone,
          openTo: { set: profile.openTo },
          ...Object.fromEntries(
            Object.entries(profile.visibility ?? {}).map(([field, value]) => [`${field}Visibility`, value]),
          ),
        },
      });
      for (const [skillName, level] of Object.entries(profile.levels ?? {})) {
        await tx.userSkill.updateMany({ where: { userId: user.id, skill: { name: skillName } }, data: { level } });
      }
      await tx.profileLink.deleteMany({ where: { userId: user.id } });
      if (profile.links?.length) {
        await tx.profileLink.createMany({
          data: profile.links.map((link, position) => ({ userId: user.id, ...link, position })),
        });
      }
    });
  }
}
