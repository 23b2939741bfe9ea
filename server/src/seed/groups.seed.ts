import type { Db } from '../db.js';
import type { GroupKind, GroupRole, GroupVisibility } from '../generated/prisma/enums.js';
import { encodeGlobalId } from '../lib/global-id.js';
import { joinRequestReceived } from '../modules/groups/group.notifications.js';
import { notify } from '../modules/notifications/index.js';

// Demo groups among the demo members (demo-data.ts): a tech association, two alumni groups with
// chapters, a company program. Idempotent: groups are matched by slug, memberships and requests
// by their keys, and nothing that exists is changed. Ada (the demo login) owns the bootcamp
// alumni group and finds two join requests waiting for her.

interface GroupSeed {
  slug: string;
  name: string;
  description: string;
  kind: GroupKind;
  visibility: GroupVisibility;
  institution?: string;
  graduationYear?: number;
  cohort?: string;
  allowedEmailDomain?: string;
  parent?: string;
  /** first name → role; everyone not named OWNER/ADMIN/MODERATOR is a MEMBER */
  members: Record<string, GroupRole>;
  requests?: Record<string, string | null>;
}

const M = 'MEMBER' as const;

const GROUPS: GroupSeed[] = [
  {
    slug: 'berlin-tech-association',
    name: 'Berlin Tech Association',
    description:
      'The industry association for people who build software in Berlin: monthly meetups, a salary survey, and a mentoring circle for people changing careers.',
    kind: 'COMMUNITY',
    visibility: 'PUBLIC',
    members: {
      priya: 'OWNER',
      xavier: 'ADMIN',
      bruno: 'MODERATOR',
      ada: M,
      chen: M,
      emeka: M,
      ibrahim: M,
      kwame: M,
      laura: M,
      quentin: M,
      samuel: M,
      uwe: M,
      zoltan: M,
      elif: M,
      mateus: M,
    },
  },
  {
    slug: 'tum-alumni-in-tech',
    name: 'TU Munich Alumni in Tech',
    description:
      'Graduates of the Technical University of Munich working in software, data and product. City chapters meet in person.',
    kind: 'ALUMNI',
    visibility: 'PUBLIC',
    institution: 'Technical University of Munich',
    members: {
      julia: 'OWNER',
      uwe: 'ADMIN',
      divya: 'MODERATOR',
      nadia: M,
      quentin: M,
      valentina: M,
      bjorn: M,
      deepak: M,
      hana: M,
    },
  },
  {
    slug: 'tum-alumni-berlin',
    name: 'TU Munich Alumni · Berlin',
    description: 'The Berlin chapter: a Stammtisch on the first Thursday of the month.',
    kind: 'ALUMNI',
    visibility: 'PUBLIC',
    institution: 'Technical University of Munich',
    parent: 'tum-alumni-in-tech',
    members: { uwe: 'OWNER', quentin: M, valentina: M },
  },
  {
    slug: 'tum-alumni-london',
    name: 'TU Munich Alumni · London',
    description: 'The London chapter, mostly fintech and ML people.',
    kind: 'ALUMNI',
    visibility: 'PUBLIC',
    institution: 'Technical University of Munich',
    parent: 'tum-alumni-in-tech',
    members: { divya: 'OWNER', nadia: M, deepak: M },
  },
  {
    slug: 'launchpad-bootcamp-alumni',
    name: 'Launchpad Bootcamp Alumni',
    description:
      'Everyone who went through the Launchpad coding bootcamp, and the mentors who coached them. Ask to join and tell us your cohort.',
    kind: 'ALUMNI',
    visibility: 'PRIVATE',
    institution: 'Launchpad Coding Bootcamp',
    members: {
      ada: 'OWNER',
      rosa: 'ADMIN',
      wanjiru: 'MODERATOR',
      mateus: M,
      gabriel: M,
      tamar: M,
      aisha: M,
      camila: M,
    },
    requests: {
      finn: 'I finished the spring 2025 cohort last month and would love to meet other alumni.',
      yara: null,
    },
  },
  {
    slug: 'launchpad-cohort-2023-spring',
    name: 'Launchpad · Spring 2023 cohort',
    description: 'The spring 2023 cohort keeps in touch here.',
    kind: 'ALUMNI',
    visibility: 'PRIVATE',
    institution: 'Launchpad Coding Bootcamp',
    graduationYear: 2023,
    cohort: 'Spring 2023',
    parent: 'launchpad-bootcamp-alumni',
    members: { ada: 'OWNER', mateus: M, tamar: M },
  },
  {
    slug: 'launchpad-cohort-2024-autumn',
    name: 'Launchpad · Autumn 2024 cohort',
    description: 'The autumn 2024 cohort: job-search tips and code reviews.',
    kind: 'ALUMNI',
    visibility: 'PRIVATE',
    institution: 'Launchpad Coding Bootcamp',
    graduationYear: 2024,
    cohort: 'Autumn 2024',
    parent: 'launchpad-bootcamp-alumni',
    members: { rosa: 'OWNER', gabriel: M, camila: M },
  },
  {
    slug: 'guildhall-mentoring-program',
    name: 'Guildhall Mentoring Program',
    description:
      'Our internal mentorship program: staff pair up for six months with agreed goals. Invite only, and only for verified @guildhall.dev addresses.',
    kind: 'PROGRAM',
    visibility: 'SECRET',
    allowedEmailDomain: 'guildhall.dev',
    // Ada co-runs the program, so the demo login sees its mentoring dashboard; the others were paired
    // in its rounds (mentorship.seed.ts). Fewer members than the association, whose event keeps the waitlist.
    members: {
      wanjiru: 'OWNER',
      julia: 'ADMIN',
      ada: 'ADMIN',
      finn: M,
      mateus: M,
      deepak: M,
      yara: M,
      camila: M,
      gabriel: M,
      divya: M,
      priya: M,
      chen: M,
      kwame: M,
      elif: M,
    },
  },
];

export async function seedGroups(db: Db): Promise<{ groups: number }> {
  // Demo members prove their addresses, so the program's domain rule admits them.
  await db.user.updateMany({
    where: { email: { endsWith: '@guildhall.dev' }, emailVerifiedAt: null },
    data: { emailVerifiedAt: new Date() },
  });
  const users = await db.user.findMany({
    where: { email: { endsWith: '@guildhall.dev' } },
    select: { id: true, email: true },
  });
  const idOf = new Map(users.map((user) => [user.email.split('@')[0]!, user.id]));
  const groupIds = new Map<string, string>();

  for (const seed of GROUPS) {
    await db.$transaction(async (tx) => {
      const group = await tx.group.upsert({
        where: { slug: seed.slug },
        create: {
          slug: seed.slug,
          name: seed.name,
          description: seed.description,
          kind: seed.kind,
          visibility: seed.visibility,
          institution: seed.institution ?? null,
          graduationYear: seed.graduationYear ?? null,
          cohort: seed.cohort ?? null,
          allowedEmailDomain: seed.allowedEmailDomain ?? null,
          parentId: seed.parent ? (groupIds.get(seed.parent) ?? null) : null,
        },
        update: {},
        select: { id: true },
      });
      groupIds.set(seed.slug, group.id);
      const memberships = Object.entries(seed.members)
        .filter(([name]) => idOf.has(name))
        .map(([name, role]) => ({ groupId: group.id, userId: idOf.get(name)!, role }));
      await tx.membership.createMany({ data: memberships, skipDuplicates: true });
      for (const [name, message] of Object.entries(seed.requests ?? {})) {
        const userId = idOf.get(name);
        if (!userId) continue;
        const existing = await tx.joinRequest.findUnique({
          where: { groupId_userId: { groupId: group.id, userId } },
          select: { id: true },
        });
        if (existing) continue;
        const request = await tx.joinRequest.create({
          data: { groupId: group.id, userId, message },
          select: { id: true },
        });
        // The group's moderators hear about it, as they would through requestToJoinGroup.
        const moderators = memberships.filter((membership) => membership.role !== 'MEMBER').map((m) => m.userId);
        await notify(tx, {
          recipientIds: moderators,
          kind: joinRequestReceived,
          actorId: userId,
          subjectId: encodeGlobalId('JoinRequest', request.id),
          data: { groupId: group.id, joinRequestId: request.id },
        });
      }
    });
  }
  return { groups: GROUPS.length };
}
