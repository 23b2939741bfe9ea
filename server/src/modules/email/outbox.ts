import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { EmailCategory } from '../../generated/prisma/enums.js';
import { scheduleJob } from '../jobs/index.js';
import { deliverEmailJob } from './delivery.js';
import type { EmailTemplate } from './email-templates.js';

export interface QueueEmailInput<D> {
  toUserId: string;
  template: EmailTemplate<D>;
  data: NoInfer<D>;
  /** Optional: the template's own category (checked when given). */
  category?: 'account' | 'notification' | 'digest';
}

const CATEGORY: Record<NonNullable<QueueEmailInput<unknown>['category']>, EmailCategory> = {
  account: 'ACCOUNT',
  notification: 'NOTIFICATION',
  digest: 'DIGEST',
};

/**
 * Stores an email for a member in the outbox and schedules its delivery job, both in `tx` (call it
 * inside the transaction of the change the email reports: if that rolls back, no email exists).
 * The email goes to the member's own address; it is rendered from the template when it is sent.
 */
export async function queueEmail<D>(tx: DbClient, input: QueueEmailInput<D>): Promise<{ outboxId: string }> {
  const { template } = input;
  if (input.category && CATEGORY[input.category] !== template.category) {
    throw new Error(`email template "${template.name}" is ${template.category}, not ${input.category}`);
  }
  const data = template.data.parse(input.data);
  const user = await tx.user.findUniqueOrThrow({ where: { id: input.toUserId }, select: { email: true } });
  const row = await tx.emailOutbox.create({
    data: {
      toUserId: input.toUserId,
      toEmail: user.email,
      category: template.category,
      template: template.name,
      data: data as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  await scheduleJob(tx, deliverEmailJob, { outboxId: row.id });
  return { outboxId: row.id };
}
