import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { notKeptApartWhere } from '../people/index.js';

// Who sees a series (and so its slots), written once: node(id), every list, the public page and the
// live events ask this. Forbidden looks like not found, so callers answer null / [] on false.
//
// - the host always sees their own series;
// - PUBLIC: anyone, signed out too; MEMBERS: any signed-in member; GROUPS: members of a named group;
//   PAIR: the mentor and mentee of its mentorship only;
// - PROPOSED (a pair's series not yet confirmed): the pair only, whatever its audience;
// - never across a block, either way (people's blocking policy: the rule requesting mentorship uses);
// - a suspended host's series are seen by no one else; a profile the admins hid keeps its series from
//   others too (topic and description are the host's own words), except the pair's sessions.

/** A Prisma filter on OfficeHours: the series `viewerId` (null: signed out) may see. */
export function visibleOfficeHoursWhere(viewerId: string | null): Prisma.OfficeHoursWhereInput {
  if (!viewerId) {
    return {
      audience: 'PUBLIC',
      status: { not: 'PROPOSED' },
      host: { suspendedAt: null, profileHiddenAt: null },
    };
  }
  const pair: Prisma.OfficeHoursWhereInput = {
    mentorship: { OR: [{ mentorId: viewerId }, { menteeId: viewerId }] },
  };
  const byAudience: Prisma.OfficeHoursWhereInput = {
    status: { not: 'PROPOSED' },
    host: { profileHiddenAt: null },
    OR: [
      { audience: 'PUBLIC' },
      { audience: 'MEMBERS' },
      { audience: 'GROUPS', groups: { some: { group: { memberships: { some: { userId: viewerId } } } } } },
    ],
  };
  return {
    OR: [
      { hostId: viewerId },
      {
        host: { suspendedAt: null, ...notKeptApartWhere('requestMentorship', viewerId) },
        OR: [{ audience: 'PAIR', ...pair }, byAudience],
      },
    ],
  };
}

/** Whether `viewerId` (null: signed out) may see the series; false for one that does not exist. */
export async function canSeeOfficeHours(
  db: DbClient,
  viewerId: string | null,
  officeHoursId: string,
): Promise<boolean> {
  const found = await db.officeHours.count({
    where: { AND: [{ id: officeHoursId }, visibleOfficeHoursWhere(viewerId)] },
  });
  return found > 0;
}

/** A Prisma filter on OfficeHourSlot: slots of series the viewer may see. */
export function visibleSlotWhere(viewerId: string | null): Prisma.OfficeHourSlotWhereInput {
  return { officeHours: visibleOfficeHoursWhere(viewerId) };
}
