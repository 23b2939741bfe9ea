// A kind declared by a module the notifications module has never heard of works everywhere the
// registry is used: stored with validated data, channel defaults applied, listed only while its own
// visibility rule says so, worded and linked by its own describe(), neutral when hidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineNotificationKind,
  notify,
  renderNotificationsForRecipient,
} from '../../server/src/modules/notifications/index.js';
import { loadNotificationPage, viewNotification } from '../../server/src/modules/notifications/notifications.read.js';
import { createNotificationReader } from '../../server/src/modules/notifications/reader.js';
import { unsealNotificationKindsForTests } from '../../server/src/modules/notifications/registry.js';
import { createUser } from '../support/events.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  // The schema (and its GraphQL enum of kinds) is built; these kinds are read in-process only.
  unsealNotificationKindsForTests();
});
afterAll(async () => {
  await server?.stop();
});

const ping = defineKindOnce('TEST_PING', { inApp: true, email: false, digest: true });
const silent = defineKindOnce('TEST_SILENT', { inApp: false, email: false, digest: false });

function defineKindOnce(kind: string, defaults: { inApp: boolean; email: boolean; digest: boolean }) {
  let definition: ReturnType<typeof define> | undefined;
  const define = () =>
    defineNotificationKind({
      kind,
      label: 'Pings',
      description: 'A test module pings you',
      data: z.object({ n: z.number().int() }),
      defaults,
      // Its own rule: only even pings may be seen.
      visible: async (_reader, notifications) => notifications.map((n) => n.data.n % 2 === 0),
      describe: async (reader, notification) => ({
        text: `${(await reader.userName(notification.actorId)) ?? 'Someone'} pinged you (#${notification.data.n})`,
        href: `/pings/${notification.data.n}`,
      }),
      hidden: { text: 'A ping you can no longer see', href: '/notifications' },
    });
  return () => {
    definition ??= define();
    return definition;
  };
}

describe('a notification kind declared outside the notifications module', () => {
  it('is listed, worded and linked through its own rules, and neutral once hidden', async () => {
    const db = server.app.services.db;
    const [actor, me] = await Promise.all([createUser(db, 'Pat Pinger'), createUser(db, 'Me')]);
    for (const n of [1, 2, 3, 4]) {
      await notify(db, {
        kind: ping(),
        recipientIds: [me!.id],
        actorId: actor!.id,
        subjectId: `ping:${n}`,
        data: { n },
      });
    }
    const reader = createNotificationReader(db, me!.id);
    const page = await loadNotificationPage(reader, {
      direction: 'forward',
      size: 10,
      afterId: null,
      beforeId: null,
      unreadOnly: false,
    });
    expect(await Promise.all(page.rows.map(async (row) => (await viewNotification(reader, row)).text))).toEqual([
      'Pat Pinger pinged you (#4)',
      'Pat Pinger pinged you (#2)',
    ]);
    const odd = await db.notification.findFirstOrThrow({ where: { recipientId: me!.id, subjectId: 'ping:3' } });
    expect(await viewNotification(createNotificationReader(db, me!.id), odd)).toEqual({
      visible: false,
      text: 'A ping you can no longer see',
      href: '/notifications',
    });
    // The email module reads it the same way: only what its recipient may see.
    const rendered = await renderNotificationsForRecipient(
      db,
      me!.id,
      (await db.notification.findMany({ where: { recipientId: me!.id }, select: { id: true } })).map((row) => row.id),
      { webOrigin: 'https://guildhall.example' },
    );
    expect(rendered.map((item) => item.href).sort()).toEqual(['/pings/2', '/pings/4']);
  });

  it('refuses data its schema does not accept, and stores nothing', async () => {
    const db = server.app.services.db;
    const me = await createUser(db, 'Me');
    await expect(
      notify(db, {
        kind: ping(),
        recipientIds: [me!.id],
        subjectId: 'ping:x',
        data: { n: 'x' } as unknown as { n: number },
      }),
    ).rejects.toThrow();
    expect(await db.notification.count({ where: { recipientId: me!.id } })).toBe(0);
  });

  it('stores nothing for a member when every channel of the kind is off, and nothing for the actor', async () => {
    const db = server.app.services.db;
    const [actor, me] = await Promise.all([createUser(db, 'Actor'), createUser(db, 'Me')]);
    expect(await notify(db, { kind: silent(), recipientIds: [me!.id], subjectId: 's', data: { n: 2 } })).toEqual([]);
    expect(
      await notify(db, { kind: ping(), recipientIds: [actor!.id], actorId: actor!.id, subjectId: 's', data: { n: 2 } }),
    ).toEqual([]);
    expect(await db.notification.count({ where: { recipientId: { in: [actor!.id, me!.id] } } })).toBe(0);
  });
});
