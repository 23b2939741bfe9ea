import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { notify, publishNotifications } from '../notifications/index.js';
import { publishMentorshipActivity } from './activity.js';
import { rescheduleCheckInNudge } from './nudges.js';
import { roleIn, visibleMentorshipsWhere } from './mentorship.policy.js';
import { agreementAccepted, agreementProposed } from './request.notifications.js';
import { type AgreementInput, dayToDate } from './request.inputs.js';

// The agreement, versioned: either side proposes (a newer proposal withdraws an older one nobody
// accepted), the other side accepts, and the version in force before it is then SUPERSEDED. Every
// write locks the mentorship row first, so two proposals or a proposal and an acceptance at once
// are applied one after the other; only while the mentorship is ACTIVE.

type Services = Pick<AppServices, 'db' | 'pubsub'>;

async function lockMentorship(tx: DbClient, mentorshipId: string, viewerId: string) {
  await tx.$queryRaw`SELECT "id" FROM "Mentorship" WHERE "id" = ${mentorshipId}::uuid FOR UPDATE`;
  const mentorship = await tx.mentorship.findFirst({
    where: { id: mentorshipId, AND: [visibleMentorshipsWhere(viewerId)] },
    select: { id: true, mentorId: true, menteeId: true, status: true },
  });
  if (!mentorship) throw new NotFoundError('That mentorship');
  if (mentorship.status !== 'ACTIVE') {
    throw new ConflictError('MENTORSHIP_NOT_ACTIVE', 'This mentorship has ended; its agreement can no longer change.');
  }
  return mentorship;
}

const otherSide = (mentorship: { mentorId: string; menteeId: string }, viewerId: string) =>
  mentorship.mentorId === viewerId ? mentorship.menteeId : mentorship.mentorId;

export async function proposeAgreement(
  services: Services,
  viewerId: string,
  mentorshipId: string,
  input: AgreementInput,
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const at = now();
    // An older proposal nobody accepted gives way to this one.
    await tx.mentorshipAgreement.updateMany({
      where: { mentorshipId, status: 'PROPOSED' },
      data: { status: 'WITHDRAWN' },
    });
    const last = await tx.mentorshipAgreement.aggregate({ where: { mentorshipId }, _max: { version: true } });
    const agreement = await tx.mentorshipAgreement.create({
      data: {
        mentorshipId,
        version: (last._max.version ?? 0) + 1,
        cadence: input.cadence,
        format: input.format,
        sessionMinutes: input.sessionMinutes,
        startsOn: dayToDate(input.startsOn),
        plannedEndOn: dayToDate(input.plannedEndOn),
        mentorExpectations: input.mentorExpectations,
        menteeExpectations: input.menteeExpectations,
        confidentiality: input.confidentiality,
        proposedById: viewerId,
        proposedAt: at,
      },
      select: { id: true },
    });
    const notifications = await notify(tx, {
      kind: agreementProposed,
      recipientIds: [otherSide(mentorship, viewerId)],
      actorId: viewerId,
      subjectId: encodeGlobalId('MentorshipAgreement', agreement.id),
      data: { mentorshipId, agreementId: agreement.id },
    });
    return { id: agreement.id, mentorship, notifications };
  });
  publishNotifications(services.pubsub, outcome.notifications);
  publishMentorshipActivity(services.pubsub, {
    userIds: [outcome.mentorship.mentorId, outcome.mentorship.menteeId],
    kind: 'AGREEMENT_PROPOSED',
    mentorshipId,
  });
  return outcome.id;
}

export async function acceptAgreement(services: Services, viewerId: string, agreementId: string): Promise<string> {
  const found = await services.db.mentorshipAgreement.findFirst({
    where: { id: agreementId, mentorship: visibleMentorshipsWhere(viewerId) },
    select: { mentorshipId: true },
  });
  if (!found) throw new NotFoundError('That agreement');
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, found.mentorshipId, viewerId);
    const agreement = await tx.mentorshipAgreement.findUniqueOrThrow({
      where: { id: agreementId },
      select: { id: true, status: true, proposedById: true },
    });
    if (agreement.status !== 'PROPOSED') {
      throw new ConflictError(
        'AGREEMENT_NOT_PROPOSED',
        agreement.status === 'WITHDRAWN'
          ? 'A newer version was proposed since: read and accept that one.'
          : 'This version was already accepted.',
      );
    }
    if (agreement.proposedById === viewerId || !roleIn(mentorship, viewerId)) {
      throw new ForbiddenError('The other side accepts what you proposed.');
    }
    const at = now();
    await tx.mentorshipAgreement.updateMany({
      where: { mentorshipId: mentorship.id, status: 'ACCEPTED' },
      data: { status: 'SUPERSEDED' },
    });
    await tx.mentorshipAgreement.update({
      where: { id: agreement.id },
      data: { status: 'ACCEPTED', acceptedById: viewerId, acceptedAt: at },
    });
    // The cadence in force moves the missed-check-in nudge (nudges.ts).
    await rescheduleCheckInNudge(tx, mentorship.id);
    const notifications = await notify(tx, {
      kind: agreementAccepted,
      recipientIds: [otherSide(mentorship, viewerId)],
      actorId: viewerId,
      subjectId: encodeGlobalId('MentorshipAgreement', agreement.id),
      data: { mentorshipId: mentorship.id, agreementId: agreement.id },
    });
    return { mentorship, notifications };
  });
  publishNotifications(services.pubsub, outcome.notifications);
  publishMentorshipActivity(services.pubsub, {
    userIds: [outcome.mentorship.mentorId, outcome.mentorship.menteeId],
    kind: 'AGREEMENT_ACCEPTED',
    mentorshipId: outcome.mentorship.id,
  });
  return agreementId;
}
