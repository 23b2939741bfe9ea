import { z } from 'zod';
import { setAccountMailers } from '../accounts/index.js';
import { defineEmailTemplate } from './email-templates.js';
import { queueEmail } from './outbox.js';

// The emails of sign-up and passwords. accounts decides when each goes and makes its links; it
// hands them to the mailers registered here (accounts imports no email code). The links with a
// token are secrets: the outbox erases them once the email is sent.
//
// Nothing a stranger typed goes into these emails: the link to finish a sign-up goes to an address
// anyone can enter, so it does not repeat the name given with it.

const linkData = z.object({ link: z.url(), expiresAt: z.iso.datetime() });

export const signUpLinkTemplate = defineEmailTemplate({
  name: 'sign-up-link',
  category: 'ACCOUNT',
  secret: true,
  data: linkData,
  render: async (data, { now }) => {
    if (new Date(data.expiresAt) <= now) return null;
    return {
      content: {
        subject: 'Finish creating your Guildhall account',
        greeting: 'Hello,',
        paragraphs: [
          'Someone, we hope you, asked to create a Guildhall account with this email address. To finish, ' +
            'open the link and enter the password you chose. The link works for 24 hours.',
        ],
        action: { label: 'Finish creating my account', url: data.link },
        closing: ['If it was not you, ignore this email: no account is made without this link and that password.'],
      },
    };
  },
});

export const signUpAttemptTemplate = defineEmailTemplate({
  name: 'sign-up-attempt',
  category: 'ACCOUNT',
  data: z.object({ signInLink: z.url(), resetLink: z.url() }),
  render: async (data, { recipient }) => {
    if (!recipient) return null;
    return {
      content: {
        subject: 'Someone tried to sign up with your address',
        greeting: `Hello ${recipient.name},`,
        paragraphs: [
          `Someone tried to create a new Guildhall account with ${recipient.email}. That address already has ` +
            'an account, yours, so no new one was made.',
          'If it was you, sign in instead. If you forgot your password, you can reset it.',
        ],
        action: { label: 'Sign in', url: data.signInLink },
        items: [{ label: 'Reset my password', url: data.resetLink }],
        closing: ['If it was not you, you can ignore this email: nothing changed.'],
      },
    };
  },
});

export const passwordResetTemplate = defineEmailTemplate({
  name: 'password-reset',
  category: 'ACCOUNT',
  secret: true,
  data: linkData,
  render: async (data, { recipient, now }) => {
    // A reset link delayed past its hour would only frustrate.
    if (!recipient || new Date(data.expiresAt) <= now) return null;
    return {
      content: {
        subject: 'Reset your Guildhall password',
        greeting: `Hello ${recipient.name},`,
        paragraphs: [
          'We got a request to reset the password of your Guildhall account. Open the link to choose a new ' +
            'one. It works once, within an hour, and signs you out on every device.',
        ],
        action: { label: 'Choose a new password', url: data.link },
        closing: ['If you did not ask for this, ignore this email: your password stays as it is.'],
      },
    };
  },
});

export const passwordChangedTemplate = defineEmailTemplate({
  name: 'password-changed',
  category: 'ACCOUNT',
  data: z.object({ resetLink: z.url() }),
  render: async (data, { recipient }) => {
    if (!recipient) return null;
    return {
      content: {
        subject: 'Your Guildhall password was changed',
        greeting: `Hello ${recipient.name},`,
        paragraphs: [
          `The password of your Guildhall account (${recipient.email}) was just changed, and the devices ` +
            'signed in with the old one were signed out. If that was you, there is nothing to do.',
        ],
        action: { label: 'It was not me: reset my password', url: data.resetLink },
      },
    };
  },
});

setAccountMailers({
  signUpLink: async ({ tx, toAddress, link, expiresAt }) => {
    await queueEmail(tx, {
      toAddress,
      template: signUpLinkTemplate,
      data: { link, expiresAt: expiresAt.toISOString() },
    });
  },
  signUpAttempt: async ({ tx, userId, signInLink, resetLink }) => {
    await queueEmail(tx, { toUserId: userId, template: signUpAttemptTemplate, data: { signInLink, resetLink } });
  },
  passwordReset: async ({ tx, userId, link, expiresAt }) => {
    await queueEmail(tx, {
      toUserId: userId,
      template: passwordResetTemplate,
      data: { link, expiresAt: expiresAt.toISOString() },
    });
  },
  passwordChanged: async ({ tx, userId, resetLink }) => {
    await queueEmail(tx, { toUserId: userId, template: passwordChangedTemplate, data: { resetLink } });
  },
});
