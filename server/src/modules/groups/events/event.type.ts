import { canonicalOrStored } from '../../../lib/time.js';
import { builder } from '../../../schema/builder.js';
import { visibleGroupsWhere } from '../groups.policy.js';

// An event is visible exactly when its group is. More fields live in event.fields.ts.

export const EventRef = builder.prismaNode('Event', {
  // Hidden loads as null, exactly like missing.
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, group: visibleGroupsWhere(ctx.viewer?.id) }),
  fields: (t) => ({
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    // Canonical on read too: zones stored before lib/time may be an alias or lower-case.
    timeZone: t.string({
      description: 'IANA zone the event is planned in.',
      resolve: (event) => canonicalOrStored(event.timeZone),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
