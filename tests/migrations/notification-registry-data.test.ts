// The notification registry migration (20261206020000) moves every per-kind column into subjectId +
// data. Old rows of every kind, written with the schema as it was before, must come out whole: same
// count, the same ids in data, a subject that decodes to the row they pointed at, and data that the
// kind's own schema (declared by its module today) accepts. Run on PGlite with the migration SQL
// itself, so what is checked is exactly what `prisma migrate deploy` applies.
import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../server/src/schema/index.js';
import { decodeId } from '../../server/src/lib/global-id.js';
import { notificationKind } from '../../server/src/modules/notifications/registry.js';

const migrations = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));
const REGISTRY = '20261206020000_notification_registry';

function migrationSql(name: string): string {
  return fs.readFileSync(path.join(migrations, name, 'migration.sql'), 'utf8');
}

const id = (n: number) => `00000000-0000-7000-8000-${n.toString().padStart(12, '0')}`;
const ADA = id(1);
const BEN = id(2);
const GROUP = id(10);
const EVENT = id(11);
const REQUEST = id(12);
const INVITE = id(13);
const CONVERSATION = id(14);
const MESSAGE = id(15);

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  const before = fs
    .readdirSync(migrations, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name < REGISTRY)
    .map((entry) => entry.name)
    .sort();
  for (const name of before) await db.exec(migrationSql(name));

  // The world as the old schema stored it: one row of each kind, pointing at real rows.
  await db.exec(`
    INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt")
      VALUES ('${ADA}', 'ada@example.test', 'Ada', 'x', now()), ('${BEN}', 'ben@example.test', 'Ben', 'x', now());
    INSERT INTO "Group" ("id", "slug", "name", "kind", "visibility", "updatedAt")
      VALUES ('${GROUP}', 'rust-berlin', 'Rust Berlin', 'COMMUNITY', 'PUBLIC', now());
    INSERT INTO "Event" ("id", "groupId", "createdById", "title", "startsAt", "endsAt", "timeZone", "updatedAt")
      VALUES ('${EVENT}', '${GROUP}', '${ADA}', 'Meetup', now(), now() + interval '1 hour', 'Europe/Berlin', now());
    INSERT INTO "JoinRequest" ("id", "groupId", "userId", "updatedAt") VALUES ('${REQUEST}', '${GROUP}', '${BEN}', now());
    INSERT INTO "GroupInvite" ("id", "groupId", "createdById", "inviteeId") VALUES ('${INVITE}', '${GROUP}', '${ADA}', '${BEN}');
    INSERT INTO "Conversation" ("id", "kind", "groupId", "name") VALUES ('${CONVERSATION}', 'CHANNEL', '${GROUP}', 'general');
    INSERT INTO "Message" ("id", "conversationId", "senderId", "seq", "clientId", "body")
      VALUES ('${MESSAGE}', '${CONVERSATION}', '${ADA}', 1, 'c1', 'hi @[Ben](x)');
    INSERT INTO "Notification" ("id", "recipientId", "kind", "actorId", "groupId", "eventId", "joinRequestId", "inviteId", "messageId", "readAt") VALUES
      ('${id(101)}', '${ADA}', 'JOIN_REQUEST_RECEIVED', '${BEN}', '${GROUP}', NULL, '${REQUEST}', NULL, NULL, NULL),
      ('${id(102)}', '${BEN}', 'JOIN_REQUEST_APPROVED', '${ADA}', '${GROUP}', NULL, '${REQUEST}', NULL, NULL, now()),
      ('${id(103)}', '${BEN}', 'JOIN_REQUEST_DECLINED', '${ADA}', '${GROUP}', NULL, '${REQUEST}', NULL, NULL, NULL),
      ('${id(104)}', '${BEN}', 'GROUP_INVITE', '${ADA}', '${GROUP}', NULL, NULL, '${INVITE}', NULL, NULL),
      ('${id(105)}', '${BEN}', 'EVENT_CREATED', '${ADA}', '${GROUP}', '${EVENT}', NULL, NULL, NULL, NULL),
      ('${id(106)}', '${BEN}', 'WAITLIST_PROMOTED', NULL, '${GROUP}', '${EVENT}', NULL, NULL, NULL, NULL),
      ('${id(107)}', '${BEN}', 'ROLE_CHANGED', '${ADA}', '${GROUP}', NULL, NULL, NULL, NULL, NULL),
      ('${id(108)}', '${BEN}', 'MENTIONED', '${ADA}', '${GROUP}', NULL, NULL, NULL, '${MESSAGE}', NULL);
    INSERT INTO "NotificationPreference" ("userId", "kind", "enabled") VALUES
      ('${BEN}', 'EVENT_CREATED', false), ('${BEN}', 'MENTIONED', true);
  `);
  await db.exec(migrationSql(REGISTRY));
}, 120_000);

afterAll(async () => {
  await db?.close();
});

interface Row {
  id: string;
  kind: string;
  subjectId: string;
  actorId: string | null;
  data: Record<string, string>;
  readAt: Date | null;
  inApp: boolean;
}

describe('notification registry migration', () => {
  it('keeps every row, its actor and read state, and moves what it pointed at into subject + data', async () => {
    const { rows } = await db.query<Row>(
      `SELECT "id", "kind", "subjectId", "actorId", "data", "readAt", "inApp" FROM "Notification" ORDER BY "id"`,
    );
    expect(rows).toHaveLength(8);
    const byKind = new Map(rows.map((row) => [row.kind, row]));
    // The subject is a relay global ID, decoded by the server's own function.
    const subject = (kind: string, typename: string) => decodeId(byKind.get(kind)!.subjectId, typename);
    expect(subject('JOIN_REQUEST_RECEIVED', 'JoinRequest')).toBe(REQUEST);
    expect(subject('GROUP_INVITE', 'GroupInvite')).toBe(INVITE);
    expect(subject('EVENT_CREATED', 'Event')).toBe(EVENT);
    expect(subject('WAITLIST_PROMOTED', 'Event')).toBe(EVENT);
    expect(subject('ROLE_CHANGED', 'Group')).toBe(GROUP);
    expect(subject('MENTIONED', 'Message')).toBe(MESSAGE);
    expect(byKind.get('GROUP_INVITE')!.data).toEqual({ groupId: GROUP, inviteId: INVITE });
    expect(byKind.get('MENTIONED')!.data).toMatchObject({ conversationId: CONVERSATION, messageId: MESSAGE });
    expect(byKind.get('JOIN_REQUEST_APPROVED')!.readAt).not.toBeNull();
    expect(byKind.get('WAITLIST_PROMOTED')!.actorId).toBeNull();
    expect(rows.every((row) => row.inApp)).toBe(true);
  });

  it("writes data every kind's own schema accepts", async () => {
    const { rows } = await db.query<Row>(`SELECT "kind", "data" FROM "Notification"`);
    for (const row of rows) {
      const definition = notificationKind(row.kind);
      expect(definition, row.kind).toBeDefined();
      expect(definition!.data.safeParse(row.data).success, `${row.kind} ${JSON.stringify(row.data)}`).toBe(true);
    }
  });

  it('keeps each choice as the in-app channel of its kind', async () => {
    const { rows } = await db.query<{ kind: string; channel: string; enabled: boolean }>(
      `SELECT "kind", "channel", "enabled" FROM "NotificationPreference" ORDER BY "kind"`,
    );
    expect(rows).toEqual([
      { kind: 'EVENT_CREATED', channel: 'inApp', enabled: false },
      { kind: 'MENTIONED', channel: 'inApp', enabled: true },
    ]);
  });
});
