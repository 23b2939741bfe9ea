import type { DbClient } from '../../db.js';

// The emails of sign-up and passwords. They are written by the email module, which sits above this
// one: it hands in how each is queued with setAccountMailers when it is imported (as it does with
// setVerificationMailer), so accounts imports no email code. Every mailer queues in `tx`, the
// transaction of the change the email reports: both commit or neither does.

/** Pages of the web app the emails link to (absolute links are made with PUBLIC_ORIGIN). */
export const ACCOUNT_PAGES = {
  confirmSignUp: '/sign-up/confirm',
  signIn: '/sign-in',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  changePassword: '/settings/password',
} as const;

export interface AccountMailers {
  /** A new address: the link that finishes the sign-up. Sent to the address, as there is no member yet. */
  signUpLink(mail: { tx: DbClient; toAddress: string; link: string; expiresAt: Date }): Promise<void>;
  /** An address that has an account: someone (its owner, perhaps) tried to sign up with it again. */
  signUpAttempt(mail: { tx: DbClient; userId: string; signInLink: string; resetLink: string }): Promise<void>;
  /** The single-use link that sets a new password. */
  passwordReset(mail: { tx: DbClient; userId: string; link: string; expiresAt: Date }): Promise<void>;
  /** The password was changed or reset: tells the owner, in case it was not them. */
  passwordChanged(mail: { tx: DbClient; userId: string; resetLink: string }): Promise<void>;
}

let mailers: AccountMailers | null = null;

/** The email module hands in how each account email is queued (once, at import time). */
export function setAccountMailers(send: AccountMailers): void {
  mailers = send;
}

export function accountMailers(): AccountMailers {
  // A token nobody can receive is useless: refuse before storing one.
  if (!mailers) throw new Error('no account mailers: the email module was not loaded');
  return mailers;
}

export function pageLink(publicOrigin: string, page: string, params: Record<string, string> = {}): string {
  const url = new URL(page, publicOrigin);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
