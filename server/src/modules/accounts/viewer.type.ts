import { builder } from '../../schema/builder.js';
import { NIL_UUID } from '../../lib/ids.js';

// The signed-in member as they see themselves. Only here is an email address visible,
// and only to its owner: `node(id)` with another member's Viewer id finds nothing.

export const ViewerRef = builder.prismaNode('User', {
  // Hidden loads as null, exactly like missing.
  nullable: true,
  variant: 'Viewer',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: ctx.viewer?.id === id ? id : NIL_UUID }),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email', { description: 'Visible to you alone.' }),
    headline: t.exposeString('headline', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sessions: t.relatedConnection('sessions', {
      description: 'Your signed-in devices, newest first.',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      query: () => ({ where: { revokedAt: null, expiresAt: { gt: new Date() } }, orderBy: { id: 'desc' } }),
    }),
  }),
});

export const SessionRef = builder.prismaNode('Session', {
  // Hidden loads as null, exactly like missing.
  nullable: true,
  id: { field: 'id' },
  // Someone else's session looks exactly like a missing one.
  findUnique: (id, ctx) => ({ id, userId: ctx.viewer?.id ?? NIL_UUID }),
  fields: (t) => ({
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    current: t.boolean({
      description: 'True for the session making this request.',
      resolve: (session, _args, ctx) => session.id === ctx.viewer?.sessionId,
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: ViewerRef,
    nullable: true,
    description: 'The signed-in member, or null when signed out.',
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer ? ctx.db.user.findUnique({ ...query, where: { id: ctx.viewer.id } }) : null,
  }),
);
