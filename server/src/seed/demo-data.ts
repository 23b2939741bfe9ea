import type { Db } from '../db.js';
import { hashPassword } from '../modules/accounts/passwords.js';
import { seedChat } from './chat.seed.js';
import { seedDemoEvents } from './events.seed.js';
import { seedGroups } from './groups.seed.js';
import { seedIntroductions } from './introductions.seed.js';
import { seedMentorship } from './mentorship.seed.js';
import { seedOfficeHours } from './office-hours.seed.js';
import { seedPeopleProfiles } from './people.seed.js';

// A believable demo community. Idempotent: members are matched by email, skills by slug,
// so running it twice changes nothing. Later issues extend it with groups, chat, mentoring.

export const DEMO_LOGIN = { email: 'ada@guildhall.dev', password: 'guildhall-demo' } as const;

const SKILLS = [
  'TypeScript',
  'React',
  'Node.js',
  'PostgreSQL',
  'Kubernetes',
  'Go',
  'Rust',
  'Python',
  'Machine Learning',
  'Data Engineering',
  'Product Management',
  'UX Research',
  'Interaction Design',
  'Security',
  'Site Reliability',
  'AWS',
  'Terraform',
  'iOS',
  'Android',
  'Engineering Management',
  'Technical Writing',
  'GraphQL',
  'Java',
  'Kotlin',
  'Accessibility',
  'Career Coaching',
  'Distributed Systems',
  'Testing',
  'Mobile',
  'Analytics',
] as const;

type SkillName = (typeof SKILLS)[number];

const MEMBERS: ReadonlyArray<{ name: string; headline: string; skills: SkillName[] }> = [
  {
    name: 'Ada Okafor',
    headline: 'Staff engineer at a payments company, mentoring new leads',
    skills: ['TypeScript', 'Distributed Systems', 'Engineering Management'],
  },
  {
    name: 'Bruno Lindqvist',
    headline: 'Platform engineer; Kubernetes in anger since 2017',
    skills: ['Kubernetes', 'Go', 'Site Reliability'],
  },
  {
    name: 'Chen Wei',
    headline: 'Frontend lead, design systems and accessibility',
    skills: ['React', 'Accessibility', 'TypeScript'],
  },
  {
    name: 'Divya Raman',
    headline: 'Data engineer moving into ML platforms',
    skills: ['Data Engineering', 'Python', 'Machine Learning'],
  },
  {
    name: 'Emeka Nwosu',
    headline: 'Security engineer, AppSec and threat modelling',
    skills: ['Security', 'Go', 'AWS'],
  },
  {
    name: 'Fatima Zahra Benali',
    headline: 'Product manager for developer tools',
    skills: ['Product Management', 'Analytics', 'UX Research'],
  },
  { name: 'Gabriel Souza', headline: 'Android developer and Kotlin trainer', skills: ['Android', 'Kotlin', 'Mobile'] },
  {
    name: 'Hana Kobayashi',
    headline: 'UX researcher, ex-agency, now in fintech',
    skills: ['UX Research', 'Interaction Design', 'Accessibility'],
  },
  {
    name: 'Ibrahim Haddad',
    headline: 'Backend engineer, PostgreSQL performance nerd',
    skills: ['PostgreSQL', 'Java', 'Distributed Systems'],
  },
  {
    name: 'Julia Nowak',
    headline: 'Engineering manager of two product teams',
    skills: ['Engineering Management', 'Career Coaching', 'Product Management'],
  },
  {
    name: 'Kwame Mensah',
    headline: 'SRE at a streaming service; on-call veteran',
    skills: ['Site Reliability', 'Terraform', 'AWS'],
  },
  {
    name: 'Laura Martínez',
    headline: 'Technical writer for APIs and SDKs',
    skills: ['Technical Writing', 'GraphQL', 'TypeScript'],
  },
  {
    name: 'Mateus Oliveira',
    headline: 'Junior developer, first job after a bootcamp',
    skills: ['React', 'Node.js', 'Testing'],
  },
  {
    name: 'Nadia Petrova',
    headline: 'ML engineer, recommendation systems',
    skills: ['Machine Learning', 'Python', 'Data Engineering'],
  },
  { name: 'Omar Farouk', headline: 'iOS engineer building health apps', skills: ['iOS', 'Mobile', 'Accessibility'] },
  {
    name: 'Priya Shah',
    headline: 'Full-stack developer and meetup organiser',
    skills: ['TypeScript', 'Node.js', 'PostgreSQL'],
  },
  {
    name: 'Quentin Moreau',
    headline: 'Rust systems programmer, databases and storage',
    skills: ['Rust', 'Distributed Systems', 'PostgreSQL'],
  },
  {
    name: 'Rosa Delgado',
    headline: 'QA lead turning testers into automation engineers',
    skills: ['Testing', 'Java', 'Career Coaching'],
  },
  {
    name: 'Samuel Adeyemi',
    headline: 'Cloud architect; helps teams leave the data centre',
    skills: ['AWS', 'Terraform', 'Kubernetes'],
  },
  {
    name: 'Tamar Cohen',
    headline: 'Design engineer between Figma and React',
    skills: ['Interaction Design', 'React', 'Accessibility'],
  },
  {
    name: 'Uwe Schmidt',
    headline: 'Java architect, 20 years of enterprise systems',
    skills: ['Java', 'Distributed Systems', 'Engineering Management'],
  },
  {
    name: 'Valentina Rossi',
    headline: 'Analytics engineer, dbt and SQL',
    skills: ['Analytics', 'Data Engineering', 'PostgreSQL'],
  },
  {
    name: 'Wanjiru Kamau',
    headline: 'Career coach for engineers changing fields',
    skills: ['Career Coaching', 'Product Management', 'Technical Writing'],
  },
  {
    name: 'Xavier Dubois',
    headline: 'GraphQL API designer and open-source maintainer',
    skills: ['GraphQL', 'TypeScript', 'Node.js'],
  },
  {
    name: 'Yara Haddad',
    headline: 'Graduate student in HCI, looking for a mentor',
    skills: ['UX Research', 'Python', 'Accessibility'],
  },
  {
    name: 'Zoltan Horvat',
    headline: 'Go developer on observability tooling',
    skills: ['Go', 'Site Reliability', 'Distributed Systems'],
  },
  { name: 'Aisha Bello', headline: 'Mobile lead, React Native and native bridges', skills: ['Mobile', 'React', 'iOS'] },
  { name: 'Björn Eriksson', headline: 'Security researcher and CTF coach', skills: ['Security', 'Rust', 'Python'] },
  {
    name: 'Camila Torres',
    headline: 'Product designer moving into product management',
    skills: ['Interaction Design', 'Product Management', 'UX Research'],
  },
  {
    name: 'Deepak Iyer',
    headline: 'Data scientist in logistics, mentoring career switchers',
    skills: ['Machine Learning', 'Analytics', 'Career Coaching'],
  },
  {
    name: 'Elif Yılmaz',
    headline: 'Kotlin backend engineer at a travel start-up',
    skills: ['Kotlin', 'PostgreSQL', 'AWS'],
  },
  {
    name: 'Finn O’Brien',
    headline: 'Apprentice developer, learning TypeScript',
    skills: ['TypeScript', 'Testing', 'React'],
  },
];

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const emailOf = (name: string) =>
  `${
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f’']/g, '')
      .toLowerCase()
      .split(' ')[0]
  }@guildhall.dev`;

export async function seedDemoData(db: Db): Promise<{ members: number; skills: number }> {
  // One hash for every demo account: they all share the documented demo password.
  const passwordHash = await hashPassword(DEMO_LOGIN.password);

  const skillIds = new Map<string, string>();
  for (const name of SKILLS) {
    const skill = await db.skill.upsert({
      where: { slug: slugOf(name) },
      create: { slug: slugOf(name), name },
      update: {},
      select: { id: true },
    });
    skillIds.set(name, skill.id);
  }

  for (const member of MEMBERS) {
    await db.$transaction(async (tx) => {
      const email = emailOf(member.name);
      const user = await tx.user.upsert({
        where: { email },
        create: { email, name: member.name, headline: member.headline, passwordHash },
        update: {},
        select: { id: true },
      });
      await tx.userSkill.createMany({
        data: member.skills.map((skill) => ({ userId: user.id, skillId: skillIds.get(skill)! })),
        skipDuplicates: true,
      });
    });
  }
  await seedGroups(db);
  await seedDemoEvents(db); // after the groups: events go into the seeded groups
  await seedChat(db); // after the groups: channels belong to them and only members speak
  await seedPeopleProfiles(db);
  await seedMentorship(db); // after the profiles and groups: expertise from skills, pairings in the program
  await seedOfficeHours(db); // after the mentoring: hosts' groups, and Ada and Finn's session series
  await seedIntroductions(db); // after the groups, chat and mentoring: brokers are connected through them
  return { members: MEMBERS.length, skills: SKILLS.length };
}
