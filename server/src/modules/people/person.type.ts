import { builder } from '../../schema/builder.js';
import { personSeenWhere } from './people.policy.js';

// A member as other members see them. Never an email address. Profile fields and their
// per-field visibility are added in person.fields.ts; this file holds the node itself.

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((word) => [...word][0]!.toUpperCase()).join('') || '?';
}

export const PersonRef = builder.prismaNode('User', {
  // Hidden loads as null, exactly like missing.
  nullable: true,
  variant: 'Person',
  id: { field: 'id' },
  // Every signed-in member may see every other member's name, but no one a suspended member's
  // (people.policy STANDING_SIGHT.person); signed-out visitors see no one.
  findUnique: (id, ctx) =>
    ctx.viewer ? { id, AND: [personSeenWhere(ctx.viewer.id)] } : { id, AND: [{ id: { in: [] } }] },
  fields: (t) => ({
    name: t.exposeString('name'),
    // No `select`: name is always loaded, and directory search hands over rows it read itself.
    initials: t.string({ resolve: (user) => initialsOf(user.name) }),
    isViewer: t.boolean({ resolve: (user, _args, ctx) => user.id === ctx.viewer?.id }),
  }),
});
