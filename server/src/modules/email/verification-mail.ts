import { z } from 'zod';
import { setVerificationMailer } from '../accounts/index.js';
import { defineEmailTemplate } from './email-templates.js';
import { queueEmail } from './outbox.js';

// The address-verification email. accounts stores the token and hands the link to the mailer
// registered here (accounts imports no email code); the email carries the only copy of the token,
// so the outbox erases its data once the email is sent.

export const verifyEmailTemplate = defineEmailTemplate({
  name: 'verify-email',
  category: 'ACCOUNT',
  secret: true,
  data: z.object({ link: z.url(), expiresAt: z.iso.datetime() }),
  render: async (data, { recipient, now }) => {
    // An email delayed past the link's expiry (a long SMTP outage) would only frustrate.
    if (!recipient || new Date(data.expiresAt) <= now) return null;
    return {
      content: {
        subject: 'Confirm your email address for Guildhall',
        greeting: `Hello ${recipient.name},`,
        paragraphs: [`Please confirm that ${recipient.email} is your address. The link works for 48 hours.`],
        action: { label: 'Confirm my email address', url: data.link },
        closing: ['If you did not ask for this, you can ignore this email.'],
      },
    };
  },
});

setVerificationMailer(async ({ tx, userId, link, expiresAt }) => {
  await queueEmail(tx, {
    toUserId: userId,
    template: verifyEmailTemplate,
    data: { link, expiresAt: expiresAt.toISOString() },
  });
});
