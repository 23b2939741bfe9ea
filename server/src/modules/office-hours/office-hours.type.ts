import { builder } from '../../schema/builder.js';
import { visibleOfficeHoursWhere, visibleSlotWhere } from './office-hours.policy.js';

// The series (OfficeHours) and its occurrences (OfficeHourSlot). Both are nodes seen through
// office-hours.policy (forbidden looks like not found). Other parts of the module add their fields
// with builder.prismaObjectFields(OfficeHoursRef | OfficeHourSlotRef, …).

export const OfficeHoursRef = builder.prismaNode('OfficeHours', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [visibleOfficeHoursWhere(ctx.viewer?.id ?? null)] }),
  description: "A host's office hours: a one-off or a recurring series, defined in the host's time zone.",
  fields: (t) => ({
    topic: t.exposeString('topic'),
  }),
});

export const OfficeHourSlotRef = builder.prismaNode('OfficeHourSlot', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [visibleSlotWhere(ctx.viewer?.id ?? null)] }),
  description: 'One occurrence of office hours: a time with seats.',
  fields: (t) => ({
    officeHours: t.relation('officeHours', { type: OfficeHoursRef, nullable: false }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
  }),
});
