import type { DbClient } from '../../db.js';
import type { Notification, Prisma } from '../../generated/prisma/client.js';
import type { NotificationReader } from './reader.js';
import {
  type NotificationKindDefinition,
  type NotificationView,
  notificationKind,
  notificationKinds,
} from './registry.js';

// Visibility and wording of stored notifications, through the registry. Each kind's rule is
// written once (its visible() batch) and used by every read: lists, counts, node(), live events,
// email and the digest. Lists page until they are filled; counts check the recipient's unread set.

export type NotificationRow = Notification;

/** The newest unread notifications a count looks at; the bell shows "99+" long before this. */
export const UNREAD_COUNT_CAP = 1000;
/** A list stops scanning hidden rows after this many and hands out a cursor to go on from. */
const SCAN_CAP = 2000;

interface Parsed {
  definition: NotificationKindDefinition;
  row: NotificationRow;
  data: unknown;
}

/** Null for a kind no module declares (any more) or data its schema refuses: never shown. */
function parse(row: NotificationRow): Parsed | null {
  const definition = notificationKind(row.kind);
  if (!definition) return null;
  const data = definition.data.safeParse(row.data);
  return data.success ? { definition, row, data: data.data } : null;
}

function stored(parsed: Parsed) {
  const { row } = parsed;
  return {
    id: row.id,
    recipientId: row.recipientId,
    kind: row.kind,
    subjectId: row.subjectId,
    actorId: row.actorId,
    data: parsed.data,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

/** Of `rows`, the ids their recipient (the reader's) may see now: one visible() batch per kind. */
async function checkVisible(
  reader: NotificationReader,
  rows: readonly NotificationRow[],
): Promise<Map<string, boolean>> {
  const result = new Map<string, boolean>(rows.map((row) => [row.id, false]));
  const byKind = new Map<NotificationKindDefinition, Parsed[]>();
  for (const row of rows) {
    if (row.recipientId !== reader.recipientId) continue;
    const parsed = parse(row);
    if (!parsed) continue;
    let batch = byKind.get(parsed.definition);
    if (!batch) byKind.set(parsed.definition, (batch = []));
    batch.push(parsed);
  }
  await Promise.all(
    [...byKind].map(async ([definition, batch]) => {
      const answers = await definition.visible(reader, batch.map(stored));
      for (const [index, parsed] of batch.entries()) result.set(parsed.row.id, answers[index] === true);
    }),
  );
  return result;
}

const seenRows = new WeakMap<NotificationReader, Map<string, NotificationRow>>();

/** Whether the reader's recipient may see this notification now. Siblings of one tick are checked together. */
export async function isNotificationVisible(reader: NotificationReader, row: NotificationRow): Promise<boolean> {
  let rows = seenRows.get(reader);
  if (!rows) seenRows.set(reader, (rows = new Map()));
  rows.set(row.id, row);
  const known = rows;
  const answers = await reader.load('notification.visible', [row.id], (ids) =>
    checkVisible(
      reader,
      ids.map((id) => known.get(id)!),
    ),
  );
  return answers.get(row.id) === true;
}

export async function visibleNotifications(
  reader: NotificationReader,
  rows: readonly NotificationRow[],
): Promise<NotificationRow[]> {
  const answers = await Promise.all(rows.map((row) => isNotificationVisible(reader, row)));
  return rows.filter((_row, index) => answers[index]);
}

/** Text and link as the recipient may see them now; the kind's neutral words once hidden. */
export async function viewNotification(
  reader: NotificationReader,
  row: NotificationRow,
): Promise<NotificationView & { visible: boolean }> {
  const parsed = parse(row);
  if (!parsed) return { visible: false, text: 'An update you can no longer see', href: '/notifications' };
  if (!(await isNotificationVisible(reader, row))) return { visible: false, ...parsed.definition.hidden };
  const key = `notification.view:${row.id}`;
  const view = await reader.once(key, () => parsed.definition.describe(reader, stored(parsed)));
  return { visible: true, ...view };
}

/** Only rows of declared kinds are read at all. */
function listWhere(recipientId: string, unreadOnly: boolean, kinds?: readonly string[]): Prisma.NotificationWhereInput {
  const declared = notificationKinds().map((definition) => definition.kind);
  return {
    recipientId,
    inApp: true,
    kind: { in: kinds ? declared.filter((kind) => kinds.includes(kind)) : declared },
    ...(unreadOnly ? { readAt: null } : {}),
  };
}

export async function unreadNotificationCount(reader: NotificationReader): Promise<number> {
  const rows = await reader.db.notification.findMany({
    where: listWhere(reader.recipientId, true),
    orderBy: { id: 'desc' },
    take: UNREAD_COUNT_CAP,
  });
  return (await visibleNotifications(reader, rows)).length;
}

export interface NotificationPageRequest {
  /** Newest first: `first` after a cursor, or `last` (the oldest) before one. */
  direction: 'forward' | 'backward';
  size: number;
  /** Forward: strictly older than this id; backward: strictly newer. */
  afterId: string | null;
  beforeId: string | null;
  unreadOnly: boolean;
  /** Only these kinds (the member's home reads unread mentions); all when left out. */
  kinds?: readonly string[];
}

export interface NotificationPage {
  rows: NotificationRow[];
  hasMore: boolean;
  /** Set when the scan stopped at SCAN_CAP: where the next page begins (may be a hidden row). */
  resumeAfterId: string | null;
}

/** Reads batches until `size` visible rows (and one more, to know there are more) or the end. */
export async function loadNotificationPage(
  reader: NotificationReader,
  request: NotificationPageRequest,
): Promise<NotificationPage> {
  const forward = request.direction === 'forward';
  const found: NotificationRow[] = [];
  let cursor = forward ? request.afterId : request.beforeId;
  const limit = forward ? request.beforeId : request.afterId;
  let scanned = 0;
  const batchSize = Math.min(Math.max(request.size * 2, 20), 200);
  for (;;) {
    const idRange: Prisma.UuidFilter = {};
    if (cursor) idRange[forward ? 'lt' : 'gt'] = cursor;
    if (limit) idRange[forward ? 'gt' : 'lt'] = limit;
    const batch = await reader.db.notification.findMany({
      where: {
        ...listWhere(reader.recipientId, request.unreadOnly, request.kinds),
        ...(cursor || limit ? { id: idRange } : {}),
      },
      orderBy: { id: forward ? 'desc' : 'asc' },
      take: batchSize,
    });
    scanned += batch.length;
    found.push(...(await visibleNotifications(reader, batch)));
    if (found.length > request.size) return { rows: found.slice(0, request.size), hasMore: true, resumeAfterId: null };
    if (batch.length < batchSize) return { rows: found, hasMore: false, resumeAfterId: null };
    cursor = batch[batch.length - 1]!.id;
    if (scanned >= SCAN_CAP) return { rows: found, hasMore: true, resumeAfterId: cursor };
  }
}

/** The notifications of one recipient by id, in the order given, for node(), live events and email. */
export async function loadNotificationsById(
  db: DbClient,
  recipientId: string,
  ids: readonly string[],
): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.notification.findMany({ where: { id: { in: [...ids] }, recipientId } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
