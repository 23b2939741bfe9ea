// The accounts module: sign up/in/out, sessions, passwords (change, reset by email), email verification.
// Registers its types and fields with the schema builder, and offers other modules and app.ts:
import './accounts.errors.js';
import './viewer.type.js';
import './auth.mutations.js';
import './passwords.mutations.js';
import './email-verification.js';

export { ViewerRef } from './viewer.type.js';
export { setVerificationMailer, type VerificationMail } from './email-verification.js';
export { ACCOUNT_PAGES, type AccountMailers, setAccountMailers } from './account-mail.js';
// The instance's admins suspend a member through modules/safety, in its transaction.
export { isSuspended, publishRevokedSessions, setSuspendedInTransaction } from './accounts.service.js';
export { createSessionCache, type SessionCache } from './session-cache.js';
export {
  authenticateHttp,
  authenticateSocket,
  fetchHeaders,
  type HttpAuthentication,
  isSessionLive,
  watchRevokedSessions,
} from './session-auth.js';
