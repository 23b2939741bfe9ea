import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db.js';
import { backendFromEnv } from '../support/backend.js';
import { canReview, type Reviewer, reviewableReportsWhere } from '../../server/src/modules/safety/safety.policy.js';
import {
  type ChatMember,
  chatMember,
  chatMembers,
  groupWithMembers,
  messageById,
  send,
  startDirectConversation,
} from '../support/chat.js';
import { createGroup, mutate, userIdOf } from '../support/groups.js';
import {
  adminAddress,
  fileReport,
  moderationLog,
  notices,
  queue,
  type Report,
  resolve,
  type SafetyResult,
  verifyAddress,
} from '../support/safety.js';
import { startServer, type TestServer } from '../support/server.js';

// Reports and moderation (modules/safety): a report reaches its reviewers' queue, they act, the
// reporter learns the outcome, and the action is in the moderation log; who may see and do what.

let server: TestServer;
let url: string;
let db: Db;
const ADMIN_EMAIL = adminAddress();
let admin: ChatMember;

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_EMAILS: `someone-else@example.com, ${ADMIN_EMAIL.toUpperCase()}` } });
  url = server.graphqlUrl;
  db = server.app.services.db;
  admin = { ...(await chatMember(url, 'Ava Admin')), email: ADMIN_EMAIL };
  // chatMember signs up with a generated address: give the admin theirs.
  await db.user.update({ where: { id: userIdOf(admin.id) }, data: { email: ADMIN_EMAIL } });
});
afterAll(async () => {
  await server?.stop();
});

function reportsOf(result: { reports: Report[] } | { code: string }): Report[] {
  if (!('reports' in result)) throw new Error(`queue refused: ${result.code}`);
  return result.reports;
}

/** A group with an owner, a moderator, an author and a reporter, and a message by the author in #general. */
async function scene(label: string) {
  const [owner, mod, author, reporter] = await chatMembers(url, [
    `${label} Owner`,
    `${label} Mod`,
    `${label} Author`,
    `${label} Reporter`,
  ]);
  const group = await groupWithMembers(url, owner!, [mod!, author!, reporter!], { roles: [[mod!, 'MODERATOR']] });
  const message = await send(url, author!, group.general, `${label}: something nasty`);
  return { owner: owner!, mod: mod!, author: author!, reporter: reporter!, group, message };
}

describe('reporting a message in a group channel', () => {
  it("goes to that group's moderators, who hide it; the reporter learns the outcome and the log keeps it", async () => {
    const { owner, mod, author, reporter, group, message } = await scene('Hide');
    const filed = await fileReport(url, reporter, message.id, '  This is abusive.  ');
    expect(filed.__typename).toBe('ReportPayload');
    expect(filed.report).toMatchObject({ status: 'OPEN', reason: 'This is abusive.', subject: 'MESSAGE' });
    expect((await notices(url, mod)).map((n) => n.kind)).toContain('REPORT_RECEIVED');
    expect((await notices(url, reporter)).map((n) => n.kind)).not.toContain('REPORT_RECEIVED');

    const [queued] = reportsOf(await queue(url, mod, { groupId: group.id }));
    expect(queued).toMatchObject({
      id: filed.report.id,
      excerpt: 'Hide: something nasty',
      reason: 'This is abusive.',
      place: expect.stringMatching(/^#general in /),
      reporter: { id: reporter.personId },
      person: { id: author.personId },
      reviewGroup: { id: group.id },
      availableActions: ['HIDE', 'WARN', 'REMOVE', 'BAN', 'DISMISS'],
    });
    expect(queued!.messageHref).toContain('/chat/');
    expect(reportsOf(await queue(url, owner, { groupId: group.id })).map((r) => r.id)).toEqual([filed.report.id]);

    const done = await resolve(url, mod, filed.report.id, 'HIDE', 'Removed per the code of conduct');
    expect(done.report).toMatchObject({ status: 'RESOLVED', outcome: 'HIDE', availableActions: [] });
    expect((await messageById(url, reporter, message.id))!.deletedAt).toBeTruthy();
    expect((await messageById(url, reporter, message.id))!.body).toBe('');
    expect(reportsOf(await queue(url, mod, { groupId: group.id }))).toEqual([]);
    expect(reportsOf(await queue(url, mod, { groupId: group.id, status: 'RESOLVED' })).map((r) => r.id)).toEqual([
      filed.report.id,
    ]);

    const outcome = (await notices(url, reporter)).find((n) => n.kind === 'REPORT_RESOLVED');
    expect(outcome?.text).toBe('Your report about a message was reviewed: the content was hidden.');
    expect(outcome?.href).toContain('/chat/');
    expect(done.report.resolvedBy).toEqual({ id: mod.personId });

    const log = await moderationLog(url, mod, group.id);
    expect('entries' in log && log.entries).toEqual([
      expect.objectContaining({
        action: 'HIDE',
        subject: 'MESSAGE',
        subjectId: message.id,
        note: 'Removed per the code of conduct',
        actor: { id: mod.personId },
        target: { id: author.personId },
        report: { id: filed.report.id },
        group: { id: group.id },
      }),
    ]);
    await verifyAddress(server, admin);
    const all = await moderationLog(url, admin);
    expect('entries' in all && all.entries.map((entry) => entry.report?.id)).toContain(filed.report.id);
  });

  it('warns, removes and bans through the groups rules; a dismissal settles only its own report', async () => {
    const { mod, author, reporter, group, message } = await scene('Act');
    const other = await chatMember(url, 'Act Second Reporter');
    await mutate(url, other, 'joinGroup', { groupId: group.id });

    const first = (await fileReport(url, reporter, message.id, 'Rude to everyone')).report.id as string;
    expect((await fileReport(url, reporter, message.id, 'Rude, again')).code).toBe('ALREADY_REPORTED');
    const second = (await fileReport(url, other, message.id, 'Please look')).report.id as string;

    expect((await resolve(url, mod, first, 'WARN')).__typename).toBe('ValidationError');
    expect((await resolve(url, mod, first, 'WARN', 'x'.repeat(1001))).__typename).toBe('ValidationError');
    const warned = await resolve(url, mod, first, 'WARN', 'Keep it civil, please.');
    expect(warned.report.outcome).toBe('WARN');
    const warning = (await notices(url, author)).find((n) => n.kind === 'MODERATION_WARNING');
    expect(warning?.text).toMatch(/^The moderators of .+ warned you: “Keep it civil, please\.”$/);
    // Both reports of the message were settled by the action, and both reporters were told.
    expect((await notices(url, other)).map((n) => n.text)).toContain(
      'Your report about a message was reviewed: the member was warned.',
    );
    expect((await resolve(url, mod, second, 'DISMISS')).code).toBe('ALREADY_RESOLVED');

    const again = await send(url, author, group.general, 'still at it');
    const removeReport = (await fileReport(url, reporter, again.id, 'Again')).report.id as string;
    const removed = await resolve(url, mod, removeReport, 'REMOVE', 'Second strike');
    expect(removed.report.outcome).toBe('REMOVE');
    const membership = await db.membership.findUnique({
      where: { groupId_userId: { groupId: userIdOf(group.id), userId: userIdOf(author.id) } },
    });
    expect(membership).toBeNull();

    // Back in, and banned this time: the ban removes them and keeps them out.
    expect((await mutate(url, author, 'joinGroup', { groupId: group.id })).__typename).toBe('GroupPayload');
    const third = await send(url, author, group.general, 'third time');
    const banReport = (await fileReport(url, other, third.id, 'Third time')).report.id as string;
    expect((await resolve(url, mod, banReport, 'BAN', 'Banned')).report.outcome).toBe('BAN');
    expect((await mutate(url, author, 'joinGroup', { groupId: group.id })).code).toBe('BANNED');

    // A dismissal closes that report only; the reporter hears that nothing needed doing.
    const fine = await send(url, mod, group.general, 'a perfectly fine message');
    const a = (await fileReport(url, reporter, fine.id, 'I dislike it')).report.id as string;
    const b = (await fileReport(url, other, fine.id, 'Me too')).report.id as string;
    expect((await resolve(url, mod, a, 'DISMISS', 'Not a problem')).report.outcome).toBe('DISMISS');
    expect(reportsOf(await queue(url, mod, { groupId: group.id })).map((r) => r.id)).toEqual([b]);
    expect((await notices(url, reporter)).map((n) => n.text)).toContain(
      'Your report about a message was reviewed: the moderators found nothing to act on.',
    );
    const log = await moderationLog(url, mod, group.id);
    expect('entries' in log && log.entries.map((entry) => entry.action)).toEqual(['DISMISS', 'BAN', 'REMOVE', 'WARN']);
  });
});

describe('two moderators acting at once', () => {
  it('lets exactly one act on a report; the other is told it was already resolved, and the log has one entry', async () => {
    const { owner, mod, reporter, group, message } = await scene('Race');
    const id = (await fileReport(url, reporter, message.id, 'Race me')).report.id as string;
    const answers = await Promise.all([
      resolve(url, mod, id, 'HIDE', 'first'),
      resolve(url, owner, id, 'DISMISS', 'second'),
    ]);
    expect(answers.map((answer) => answer.__typename).sort()).toEqual(['ConflictError', 'ReportPayload']);
    expect(answers.find((answer) => answer.__typename === 'ConflictError')!.code).toBe('ALREADY_RESOLVED');
    const log = await moderationLog(url, mod, group.id);
    expect('entries' in log && log.entries.length).toBe(1);
    expect((await notices(url, reporter)).filter((n) => n.kind === 'REPORT_RESOLVED')).toHaveLength(1);
  });
});

describe('many reviewers acting at once on the reports of one message', () => {
  const ACTIONS = ['HIDE', 'WARN', 'DISMISS'] as const;
  const OUTCOME_TEXT: Record<string, string> = {
    HIDE: 'Your report about a message was reviewed: the content was hidden.',
    WARN: 'Your report about a message was reviewed: the member was warned.',
    DISMISS: 'Your report about a message was reviewed: the moderators found nothing to act on.',
  };

  /**
   * Every reporter reports the message, then every reviewer acts on every report at once (HIDE,
   * WARN and DISMISS mixed). Each call answers a typed result; each report is settled once, by one
   * logged action whose outcome its reporter alone is told, once.
   */
  async function actAllAtOnce(reviewers: ChatMember[], reporters: ChatMember[], author: ChatMember, messageId: string) {
    const ids: string[] = [];
    for (const reporter of reporters) {
      const filed = await fileReport(url, reporter, messageId, 'Please look at this');
      expect(filed.__typename, JSON.stringify(filed)).toBe('ReportPayload');
      ids.push(filed.report.id as string);
    }
    const calls = ids.flatMap((id, i) =>
      reviewers.map((reviewer, j) => ({ id, reviewer, action: ACTIONS[(i + j) % ACTIONS.length]! })),
    );
    const answers = await Promise.all(
      calls.map((call) => resolve(url, call.reviewer, call.id, call.action, 'At once')),
    );
    answers.forEach((answer, k) => {
      const typed =
        answer.__typename === 'ReportPayload' ||
        (answer.__typename === 'ConflictError' && answer.code === 'ALREADY_RESOLVED');
      expect(typed, `${calls[k]!.action} → ${JSON.stringify(answer)}`).toBe(true);
    });
    const won = calls.filter((_, k) => answers[k]!.__typename === 'ReportPayload');
    // An action on the content settles every open report of it: no second one finds any open.
    expect(won.filter((call) => call.action !== 'DISMISS').length).toBeLessThanOrEqual(1);

    const rowIds = ids.map(userIdOf);
    const rows = await db.report.findMany({
      where: { id: { in: rowIds } },
      select: { id: true, reporterId: true, status: true, outcome: true, resolvedAt: true, resolvedById: true },
    });
    const entries = await db.moderationLogEntry.findMany({
      where: { reportId: { in: rowIds } },
      select: { reportId: true, action: true, actorId: true, createdAt: true },
    });
    expect(entries).toHaveLength(won.length);
    for (const call of won) {
      const own = rows.find((row) => row.id === userIdOf(call.id))!;
      expect(own.outcome).toBe(call.action);
      expect(entries.filter((entry) => entry.reportId === own.id)).toHaveLength(1);
    }
    for (const row of rows) {
      expect(row.status).toBe('RESOLVED');
      // Settled by a logged action: its outcome, actor and instant are the entry's.
      const by = entries.filter(
        (entry) =>
          entry.action === row.outcome &&
          entry.actorId === row.resolvedById &&
          entry.createdAt.getTime() === row.resolvedAt!.getTime(),
      );
      expect(by.length, JSON.stringify(row)).toBeGreaterThanOrEqual(1);
    }
    for (const reporter of reporters) {
      const row = rows.find((candidate) => candidate.reporterId === userIdOf(reporter.id))!;
      const outcomes = (await notices(url, reporter)).filter((n) => n.kind === 'REPORT_RESOLVED').map((n) => n.text);
      expect(outcomes, reporter.name).toEqual([OUTCOME_TEXT[row.outcome!]]);
    }
    const warnings = (await notices(url, author)).filter((n) => n.kind === 'MODERATION_WARNING');
    expect(warnings).toHaveLength(won.filter((call) => call.action === 'WARN').length);
  }

  it("in a group channel: the group's moderators", async () => {
    const [owner, mod, author, ...reporters] = await chatMembers(url, [
      'Crowd Owner',
      'Crowd Mod',
      'Crowd Author',
      ...Array.from({ length: 6 }, (_, i) => `Crowd Reporter ${i + 1}`),
    ]);
    const group = await groupWithMembers(url, owner!, [mod!, author!, ...reporters], { roles: [[mod!, 'MODERATOR']] });
    const message = await send(url, author!, group.general, 'Crowd: something nasty');
    await actAllAtOnce([mod!, owner!], reporters, author!, message.id);
  });

  it("in a direct message: the instance's admins", async () => {
    await verifyAddress(server, admin);
    const [author, ...reporters] = await chatMembers(url, [
      'Direct Crowd Author',
      ...Array.from({ length: 5 }, (_, i) => `Direct Crowd Reporter ${i + 1}`),
    ]);
    const dm = await startDirectConversation(
      url,
      author!,
      reporters.map((reporter) => reporter.personId),
    );
    expect(dm.conversation, JSON.stringify(dm)).toBeTruthy();
    const message = await send(url, author!, dm.conversation!.id, 'Direct crowd: something nasty');
    await actAllAtOnce([admin, admin, admin], reporters, author!, message.id);
  });
});

describe('a moderator demoted while their action waits', () => {
  it('is refused: the rights are checked again once the locks are held', async () => {
    const { owner, mod, reporter, group, message } = await scene('Demoted');
    const id = (await fileReport(url, reporter, message.id, 'Please hide')).report.id as string;
    const groupRow = userIdOf(group.id);
    if (backendFromEnv().kind === 'embedded') {
      // PGlite runs one statement at a time: there is no meanwhile, the demotion simply comes first.
      const demoted = await mutate(url, owner, 'changeMemberRole', {
        groupId: group.id,
        personId: mod.personId,
        role: 'MEMBER',
      });
      expect(demoted.__typename).toBe('GroupMemberPayload');
      expect((await resolve(url, mod, id, 'HIDE', 'too late')).code).toBe('NOT_FOUND');
    } else {
      // As changeMemberRole does: the group row, then the role. The action starts while the row is
      // held (its first check still sees a moderator) and must wait for the demotion to commit.
      let answer: Promise<SafetyResult> | undefined;
      await db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT "id" FROM "Group" WHERE "id" = ${groupRow}::uuid FOR UPDATE`;
          let settled = false;
          answer = resolve(url, mod, id, 'HIDE', 'too late').finally(() => {
            settled = true;
          });
          for (let waited = 0; !settled && waited < 10_000; waited += 25) {
            const [row] = await tx.$queryRaw<Array<{ n: number }>>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`;
            if (row!.n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          await tx.membership.update({
            where: { groupId_userId: { groupId: groupRow, userId: userIdOf(mod.id) } },
            data: { role: 'MEMBER' },
          });
        },
        { timeout: 20_000 },
      );
      expect((await answer!).code).toBe('NOT_FOUND');
    }
    expect((await db.report.findUniqueOrThrow({ where: { id: userIdOf(id) } })).status).toBe('OPEN');
    expect((await messageById(url, reporter, message.id))!.deletedAt).toBeNull();
    expect(await db.moderationLogEntry.count({ where: { reportId: userIdOf(id) } })).toBe(0);
  });
});

describe('the same report filed twice at once', () => {
  it('is stored once; the others are told it was already reported', async () => {
    const { author, reporter, group, message } = await scene('Twice');
    for (const subjectId of [message.id, author.personId, group.id]) {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => fileReport(url, reporter, subjectId, 'Filed at once')),
      );
      expect(answers.map((answer) => answer.code ?? answer.__typename).sort(), subjectId).toEqual([
        'ALREADY_REPORTED',
        'ALREADY_REPORTED',
        'ALREADY_REPORTED',
        'ALREADY_REPORTED',
        'ReportPayload',
      ]);
    }
    const stored = await db.report.findMany({
      where: { reporterId: userIdOf(reporter.id) },
      select: { subject: true },
    });
    expect(stored.map((row) => row.subject).sort()).toEqual(['GROUP', 'MESSAGE', 'PROFILE']);
  });
});

describe("direct messages, profiles and groups go to the instance's admins", () => {
  it('who must have a verified address listed in ADMIN_EMAILS, and may hide a direct message they are not in', async () => {
    const [ana, bo] = await chatMembers(url, ['Ana Direct', 'Bo Direct']);
    const dm = (await startDirectConversation(url, ana!, [bo!.personId])).conversation!.id;
    const message = await send(url, bo!, dm, 'a private threat');
    const dmReport = (await fileReport(url, ana!, message.id, 'Threatening me')).report as Report;
    expect(dmReport.reviewGroup).toBeNull();
    const profileReport = (await fileReport(url, ana!, bo!.personId, 'Impersonating someone')).report as Report;
    const owned = await createGroup(url, bo!, { name: `Spam Group ${Date.now()}` });
    const groupReport = (await fileReport(url, ana!, owned.id, 'This group is spam')).report as Report;
    expect(groupReport.group).toMatchObject({ name: owned.name, slug: owned.slug });

    await db.user.update({ where: { id: userIdOf(admin.id) }, data: { emailVerifiedAt: null } });
    expect(await queue(url, admin)).toEqual({ code: 'FORBIDDEN' });
    await verifyAddress(server, admin);
    const queued = reportsOf(await queue(url, admin));
    expect(queued.map((r) => r.id)).toEqual(expect.arrayContaining([dmReport.id, profileReport.id, groupReport.id]));
    const dmQueued = queued.find((r) => r.id === dmReport.id)!;
    expect(dmQueued).toMatchObject({ place: 'a direct message', excerpt: 'a private threat', messageHref: null });
    expect(dmQueued.availableActions).toEqual(['HIDE', 'WARN', 'DISMISS']);
    expect(queued.find((r) => r.id === profileReport.id)!.availableActions).toEqual([
      'HIDE',
      'WARN',
      'SUSPEND',
      'DISMISS',
    ]);
    expect((await notices(url, admin)).map((n) => n.kind)).toContain('REPORT_RECEIVED');

    expect((await resolve(url, admin, dmReport.id, 'REMOVE', 'no group')).code).toBe('ACTION_NOT_AVAILABLE');
    expect((await resolve(url, admin, dmReport.id, 'HIDE', 'Threats are not allowed')).report.outcome).toBe('HIDE');
    expect((await messageById(url, ana!, message.id))!.deletedAt).toBeTruthy();
    await resolve(url, admin, profileReport.id, 'WARN', 'Use your own name.');
    expect((await notices(url, bo!)).map((n) => n.text)).toContain('The moderators warned you: “Use your own name.”');
    await resolve(url, admin, groupReport.id, 'WARN', 'No spam groups.');
    expect((await notices(url, bo!)).map((n) => n.text)).toContain('The moderators warned you: “No spam groups.”');
    expect((await notices(url, ana!)).map((n) => n.text)).toEqual(
      expect.arrayContaining([
        'Your report about a message was reviewed: the content was hidden.',
        'Your report about a profile was reviewed: the member was warned.',
        'Your report about a group was reviewed: the member was warned.',
      ]),
    );
    const log = await moderationLog(url, admin);
    expect('entries' in log && log.entries.filter((entry) => entry.group === null).map((e) => e.action)).toEqual(
      expect.arrayContaining(['HIDE', 'WARN', 'WARN']),
    );
  });
});

describe('who may see and do what', () => {
  it("keeps a member out of others' reports and every queue, and a moderator inside their own group's", async () => {
    const one = await scene('Auth One');
    const two = await scene('Auth Two');
    const report = (await fileReport(url, one.reporter, one.message.id, 'Please review')).report.id as string;
    const otherReport = (await fileReport(url, two.reporter, two.message.id, 'Please review')).report.id as string;
    const member = one.author;

    expect(await queue(url, member, { groupId: one.group.id })).toEqual({ code: 'NOT_FOUND' });
    expect(await queue(url, member)).toEqual({ code: 'FORBIDDEN' });
    expect(await moderationLog(url, member, one.group.id)).toEqual({ code: 'NOT_FOUND' });
    expect(await moderationLog(url, member)).toEqual({ code: 'FORBIDDEN' });
    expect((await resolve(url, member, report, 'DISMISS')).code).toBe('NOT_FOUND');
    // The reporter sees their report (through what reportContent answered), never the queue.
    expect(await queue(url, one.reporter, { groupId: one.group.id })).toEqual({ code: 'NOT_FOUND' });

    expect(reportsOf(await queue(url, one.mod, { groupId: one.group.id })).map((r) => r.id)).toEqual([report]);
    expect(await queue(url, one.mod, { groupId: two.group.id })).toEqual({ code: 'NOT_FOUND' });
    expect(await queue(url, one.mod)).toEqual({ code: 'FORBIDDEN' });
    expect((await resolve(url, one.mod, otherReport, 'DISMISS')).code).toBe('NOT_FOUND');
    expect(await moderationLog(url, one.mod, two.group.id)).toEqual({ code: 'NOT_FOUND' });
    // Admins review the instance's queue, not a group's; they read every log.
    await verifyAddress(server, admin);
    expect(await queue(url, admin, { groupId: one.group.id })).toEqual({ code: 'NOT_FOUND' });
    expect(reportsOf(await queue(url, admin)).map((r) => r.id)).not.toContain(report);
    expect('entries' in (await moderationLog(url, admin, one.group.id))).toBe(true);
  });

  it('takes reports only of what the reporter can see, with their words validated', async () => {
    const [owner, insider, outsider] = await chatMembers(url, ['Secret Owner', 'Secret Insider', 'Secret Outsider']);
    const secret = await createGroup(url, owner!, { name: `Secret ${Date.now()}`, visibility: 'SECRET' });
    const channels = await groupWithMembers(url, owner!, [insider!]);
    const hidden = await send(url, insider!, channels.general, 'members only');

    expect((await fileReport(url, outsider!, hidden.id, 'I cannot see this')).__typename).toBe('NotFoundError');
    expect((await fileReport(url, outsider!, secret.id, 'Nor this group')).__typename).toBe('NotFoundError');
    expect((await fileReport(url, insider!, hidden.id, 'My own message')).__typename).toBe('ValidationError');
    expect((await fileReport(url, insider!, insider!.personId, 'Myself')).__typename).toBe('ValidationError');
    expect((await fileReport(url, owner!, hidden.id, 'no')).__typename).toBe('ValidationError');
    expect((await fileReport(url, owner!, hidden.id, 'x'.repeat(1001))).__typename).toBe('ValidationError');
    expect((await fileReport(url, owner!, channels.general, 'A conversation is not reportable')).__typename).toBe(
      'NotFoundError',
    );
  });

  it('agrees with itself: the JS check and the Prisma filter pick the same reports for every reviewer', async () => {
    const one = await scene('Twin One');
    const two = await scene('Twin Two');
    await fileReport(url, one.reporter, one.message.id, 'Twin report one');
    await fileReport(url, two.reporter, two.message.id, 'Twin report two');
    await fileReport(url, one.reporter, one.author.personId, 'Twin profile report');
    const reports = await db.report.findMany({ select: { id: true, groupId: true } });
    const memberships = await db.membership.findMany({ select: { groupId: true, userId: true, role: true } });
    const viewers = [one.owner, one.mod, one.author, two.mod, admin];
    for (const viewer of viewers) {
      for (const isAdmin of [false, true]) {
        const id = userIdOf(viewer.id);
        const reviewer: Reviewer = {
          id,
          isAdmin,
          roleIn: (groupId) => memberships.find((m) => m.groupId === groupId && m.userId === id)?.role ?? null,
        };
        const byJs = reports.filter((report) => canReview(report, reviewer)).map((report) => report.id);
        const byPrisma = (
          await db.report.findMany({ where: reviewableReportsWhere({ id, isAdmin }), select: { id: true } })
        ).map((report) => report.id);
        expect(byPrisma.sort(), `${viewer.name} admin=${isAdmin}`).toEqual(byJs.sort());
      }
    }
  });
});
