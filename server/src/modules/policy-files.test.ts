import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One way to state a permission: in the modules below, a visibility compared or filtered on, a
// list of roles, a profile field's visibility or an SQL lookup of who belongs to a group or a
// conversation appears only in the module's policy file (<module>.policy.ts). Everywhere else
// calls the policy's functions. A plain text search, so it is simple and can be fooled; it
// catches the usual way rules got copied (a Prisma filter or an SQL twin written by hand).

const MODULES = path.dirname(fileURLToPath(import.meta.url));
const CHECKED = ['groups', 'people', 'chat', 'notifications', 'safety', 'mentorship', 'introductions'];

const RESTATED_RULES: Array<{ rule: string; pattern: RegExp }> = [
  {
    rule: 'a group visibility compared or filtered on',
    pattern:
      /visibility['"]?\s*(===|!==|==|!=|<>|(?<![=!<>])=)\s*'(PUBLIC|PRIVATE|SECRET)'|visibility['"]?\s*:\s*(\{\s*in:\s*\[\s*)?'(PUBLIC|PRIVATE|SECRET)'|visibility['"]?\s+IN\s*\(/i,
  },
  { rule: 'a list of group roles', pattern: /'(OWNER|ADMIN|MODERATOR|MEMBER)'\s*,\s*'(OWNER|ADMIN|MODERATOR|MEMBER)'/ },
  { rule: 'a role compared', pattern: /role\s*(===|!==)\s*'(OWNER|ADMIN|MODERATOR|MEMBER)'|role:\s*\{\s*in:\s*\[/ },
  {
    rule: "a profile field's visibility compared or filtered on",
    pattern: /Visibility['"]?\s*(:|===|!==|=)\s*(\{\s*in:\s*\[\s*)?'(MEMBERS|SHARED_GROUPS|ONLY_ME)'/,
  },
  { rule: "a conversation kind's audience in SQL", pattern: /kind"?\s*(<>|(?<![=!<>])=)\s*'CHANNEL'/ },
  {
    rule: 'who belongs to a group or a conversation, in SQL',
    pattern: /(JOIN|FROM)\s+"(Membership|ConversationParticipant)"/,
  },
  {
    rule: 'what a block stops, outside people/blocking.policy.ts',
    pattern: /(JOIN|FROM)\s+"MemberBlock"|memberBlock\.(findMany|findFirst|count)|blocks(Made|Received):\s*\{/,
  },
  { rule: 'an instance admin decided outside safety.policy.ts', pattern: /ADMIN_EMAILS\.includes/ },
  {
    rule: 'a hiding or suspension by the admins read outside the policy files (people.policy STANDING_SIGHT, groups.policy HIDDEN_GROUP_SIGHT)',
    pattern:
      /\b(hiddenAt|profileHiddenAt|suspendedAt)['"]?\s*(===|!==|==|!=)\s*null|"(hiddenAt|profileHiddenAt|suspendedAt)"\s+IS\s+(NOT\s+)?NULL|\b(hiddenAt|profileHiddenAt|suspendedAt):\s*(null\b|\{\s*not:\s*null)/,
  },
];

/** Reads of membership rows that are not permission rules, each with the reason. */
const ALLOWED: Array<{ file: string; text: string; why: string }> = [
  {
    file: 'groups/events/events.service.ts',
    text: 'SELECT 1 FROM "Membership" WHERE "groupId" = ',
    why: 'the RSVP share-locks the membership it already checked with viewerRole (lock order: event, then membership)',
  },
  {
    file: 'people/people.search.ts',
    text: 'SELECT m."userId" AS id FROM "Membership" m WHERE m."groupId" = ',
    why: "the group filter's member set; whether the viewer may see it is the groups policy's registered SQL",
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

function restatements(): string[] {
  const found: string[] = [];
  for (const module of CHECKED) {
    for (const file of sourceFiles(path.join(MODULES, module))) {
      const rel = path.relative(MODULES, file).split(path.sep).join('/');
      if (rel.endsWith('.policy.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const { rule, pattern } of RESTATED_RULES) {
            if (!pattern.test(line)) continue;
            if (ALLOWED.some((allowed) => allowed.file === rel && line.includes(allowed.text))) continue;
            found.push(`${rel}:${index + 1}: ${rule}: ${line.trim()}`);
          }
        });
    }
  }
  return found;
}

describe('permission rules live in the policy files', () => {
  it('finds no rule re-stated outside the policy files (groups, people and blocking, chat, safety)', () => {
    expect(restatements()).toEqual([]);
  });

  it('still recognises the copies it is meant to catch', () => {
    const caught = (line: string) => RESTATED_RULES.some(({ pattern }) => pattern.test(line));
    expect(caught("if (parent.visibility === 'SECRET' && !member) return null;")).toBe(true);
    expect(caught("{ visibility: 'PUBLIC', ...(ctx.viewer ? {} : { id: NIL_UUID }) },")).toBe(true);
    expect(caught('AND (g.visibility = \'PUBLIC\' OR EXISTS (SELECT 1 FROM "Membership" vm')).toBe(true);
    expect(caught("return access.role === 'OWNER' || access.role === 'ADMIN';")).toBe(true);
    expect(caught("users: { some: { user: { skillsVisibility: 'MEMBERS' } } },")).toBe(true);
    expect(caught('WHERE c."kind" <> \'CHANNEL\' AND cp."userId" = ANY($1::uuid[])')).toBe(true);
    expect(caught('AND NOT EXISTS (SELECT 1 FROM "MemberBlock" b WHERE b."blockerId" = u.id')).toBe(true);
    expect(caught('where: { blocksMade: { none: { blockedId: viewerId } } },')).toBe(true);
    expect(caught('const isAdmin = env.ADMIN_EMAILS.includes(user.email);')).toBe(true);
    expect(caught('where: { id, hiddenAt: null, AND: [visibleGroupsWhere(viewerId)] },')).toBe(true);
    expect(caught('if (user.suspendedAt !== null) return null;')).toBe(true);
    expect(caught('AND u."profileHiddenAt" IS NULL')).toBe(true);
    expect(caught('where: { profileHiddenAt: { not: null } },')).toBe(true);
    expect(caught('data: { hiddenAt: next },')).toBe(false);
    expect(caught("const channel = conversation.kind === 'CHANNEL' ? conversation.groupId : null;")).toBe(false);
    // The allow-list names text that still exists (a stale entry would hide nothing, but lie).
    for (const allowed of ALLOWED) {
      expect(readFileSync(path.join(MODULES, allowed.file), 'utf8')).toContain(allowed.text);
    }
  });
});
