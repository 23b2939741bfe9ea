import type { z } from 'zod';
import type { NotificationReader } from './reader.js';

// The registry of notification kinds. Each kind is declared once, by the module that owns what it
// is about (groups, events, chat, …), at import time: its data, who may see it now, its wording and
// link, its email, whether it goes into the digest and its default per channel. This module knows
// no kind by name, so adding one touches only its owner.

export const NOTIFICATION_CHANNELS = ['inApp', 'email', 'digest'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type ChannelSettings = Record<NotificationChannel, boolean>;

/** A stored notification as its kind sees it: data already checked against the kind's schema. */
export interface StoredNotification<D = unknown> {
  id: string;
  recipientId: string;
  kind: string;
  /** A relay global ID of what it is about. */
  subjectId: string;
  actorId: string | null;
  data: D;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationView {
  /** A human sentence, e.g. "Ada Okafor asked to join Rust Berlin". */
  text: string;
  /** A relative path in the web app. */
  href: string;
}

export interface NotificationEmail {
  subject: string;
  text: string;
  html?: string;
}

export interface NotificationKindOptions<D> {
  /** Stable: it is the GraphQL NotificationKind value and the stored text. SCREAMING_SNAKE_CASE. */
  kind: string;
  /** For the preferences screen, e.g. "Join requests". */
  label: string;
  /** For the preferences screen, e.g. "Someone asks to join a group you moderate". */
  description: string;
  data: z.ZodType<D>;
  defaults: ChannelSettings;
  /** Whether the kind goes into the daily or weekly digest at all. Default: true. */
  inDigest?: boolean;
  /**
   * Who may see these notifications now, in one batch (a list page, the unread set, one live event):
   * true at the same index for each its recipient (reader.recipientId) may still see. Re-checked on
   * every read, list, count and live event; a hidden one is left out of lists and counts and says
   * only `hidden` wherever it is still reached by id.
   */
  visible(reader: NotificationReader, notifications: readonly StoredNotification<D>[]): Promise<boolean[]>;
  /** Text and link of a visible notification (names may be shown: visibility was checked). */
  describe(reader: NotificationReader, notification: StoredNotification<D>): Promise<NotificationView>;
  /** What a notification says once its recipient may no longer see it: neutral, names nothing. */
  hidden?: NotificationView;
  /** Email override; default: subject = text, body = text and link. `link` is absolute when an origin is known. */
  email?(view: NotificationView & { link: string }, notification: StoredNotification<D>): NotificationEmail;
}

export interface NotificationKindDefinition<D = unknown> extends Required<Omit<NotificationKindOptions<D>, 'email'>> {
  email(view: NotificationView & { link: string }, notification: StoredNotification<D>): NotificationEmail;
}

const DEFAULT_HIDDEN: NotificationView = { text: 'An update you can no longer see', href: '/notifications' };

function defaultEmail(view: NotificationView & { link: string }): NotificationEmail {
  return { subject: view.text, text: `${view.text}\n\n${view.link}\n` };
}

const kinds = new Map<string, NotificationKindDefinition>();
let sealedBy: string | null = null;

/** Declares a kind. Call at module import time, before the schema is built. */
export function defineNotificationKind<D>(options: NotificationKindOptions<D>): NotificationKindDefinition<D> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(options.kind))
    throw new Error(`notification kind "${options.kind}": SCREAMING_SNAKE_CASE`);
  if (kinds.has(options.kind)) throw new Error(`notification kind "${options.kind}" is declared twice`);
  // The GraphQL enum is made from the registry once; a kind declared later would be missing from it.
  if (sealedBy) {
    throw new Error(
      `notification kind "${options.kind}" declared after ${sealedBy}: import its module before builder.toSchema()`,
    );
  }
  const definition: NotificationKindDefinition<D> = {
    inDigest: true,
    hidden: DEFAULT_HIDDEN,
    email: defaultEmail,
    ...options,
  };
  kinds.set(options.kind, definition as unknown as NotificationKindDefinition);
  return definition;
}

export function notificationKind(kind: string): NotificationKindDefinition | undefined {
  return kinds.get(kind);
}

/** Every declared kind, in declaration order. */
export function notificationKinds(): NotificationKindDefinition[] {
  return [...kinds.values()];
}

/** After this, no kind may be added (the GraphQL enum is being built from the registry). */
export function sealNotificationKinds(by: string): string[] {
  sealedBy ??= by;
  return [...kinds.keys()];
}

/** Tests only: declares a kind after the schema was built (it then has no GraphQL enum value). */
export function unsealNotificationKindsForTests(): void {
  sealedBy = null;
}
