import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { EmailCategory } from '../../generated/prisma/enums.js';
import { scheduleJob } from '../jobs/index.js';
import { deliverEmailJob } from './delivery.js';
import type { EmailTemplate } from './email-templates.js';

export type QueueEmailInput<D> = {
  template: EmailTemplate<D>;
  data: NoInfer<D>;
  /** Optional: the template's own category (checked when given). */
  category?: 'account' | 'notification' | 'digest';
} & (
  | { toUserId: string; toAddress?: never }
  /** An address with no member behind it yet (the link that finishes a sign-up); the template renders without a recipient. */
  | { toAddress: string; toUserId?: never }
);

const CATEGORY: Record<NonNullable<QueueEmailInput<unknown>['category']>, EmailCategory> = {
  account: 'ACCOUNT',
  notification: 'NOTIFICATION',
  digest: 'DIGEST',
};

/**
 * Stores an email for a member in the outbox and schedules its delivery job, both in `tx` (call it
 * inside the transaction of the change the email reports: if that rolls back, no email exists).
 * The email goes to the member's own address (or, before there is a member, to `toAddress`); it is
 * rendered from the template when it is sent.
 */
export async function queueEmail<D>(tx: DbClient, input: QueueEmailInput<D>): Promise<{ outboxId: string }> {
  const { template } = input;
  if (input.category && CATEGORY[input.category] !== template.category) {
    throw new Error(`email template "${template.name}" is ${template.category}, not ${input.category}`);
  }
  const data = template.data.parse(input.data);
  const toEmail =
    input.toUserId === undefined
      ? input.toAddress
      : (await tx.user.findUniqueOrThrow({ where: { id: input.toUserId }, select: { email: true } })).email;
  const row = await tx.emailOutbox.create({
    data: {
      toUserId: input.toUserId ?? null,
      toEmail,
      category: template.category,
      template: template.name,
      data: data as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  await scheduleJob(tx, deliverEmailJob, { outboxId: row.id });
  return { outboxId: row.id };
}
