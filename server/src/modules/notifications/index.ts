// Registers the notifications module's types and fields with the schema builder.
import './notification.type.js';
import './notification.fields.js';

// What notifications offers other modules: declare a kind (its data, who may see it, its words,
// link, email and default channels) and notify inside the transaction of the change it reports.
export {
  type ChannelSettings,
  defineNotificationKind,
  type NotificationChannel,
  type NotificationEmail,
  type NotificationKindDefinition,
  type NotificationKindOptions,
  type NotificationView,
  notificationKind,
  notificationKinds,
  type StoredNotification,
} from './registry.js';
export type { NotificationReader } from './reader.js';
export { NotificationRef, notificationReader } from './notification.type.js';
// A page of the reader's notifications (only those they may still see), e.g. the home's unread mentions.
export { loadNotificationPage } from './notifications.read.js';
export {
  type CreatedNotification,
  type NotificationCreatedEvent,
  notify,
  onNotificationCreated,
  publishNotifications,
  withdrawNotifications,
} from './notifications.service.js';
export { channelEnabled, channelSettings, setChannel } from './preferences.js';
export {
  notificationKindInDigest,
  type RenderedNotification,
  renderNotificationForEmail,
  renderNotificationsForRecipient,
} from './notifications.email.js';
