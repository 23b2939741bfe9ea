import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db.js';
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
