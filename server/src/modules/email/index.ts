// The email module: the outbox (every email a row written in the transaction of the change it
// reports, delivered by one "email.deliver" job per row over SMTP, or held and logged without
// SMTP_URL), the templates and the one layout, notification emails, the digest and the signed
// unsubscribe links. It sits above accounts and notifications: it registers itself with their
// hooks (setVerificationMailer, setAccountMailers, onNotificationCreated) when imported, so neither imports it.
import './email.fields.js';
import './verification-mail.js';
import './account-mail.js';
import './notification-mail.js';
import './digest.js';

// What app.ts mounts: the unsubscribe page and its one-click POST.
export { matchUnsubscribe, serveUnsubscribe } from './unsubscribe.route.js';
// For other modules that send email of their own.
export {
  defineEmailTemplate,
  type EmailTemplate,
  type TemplateContext,
  type TemplateOutput,
} from './email-templates.js';
export { queueEmail, type QueueEmailInput } from './outbox.js';
