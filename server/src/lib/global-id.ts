import { decodeGlobalID } from '@pothos/plugin-relay';
import { isUuid } from './ids.js';

export interface GlobalId {
  typename: string;
  id: string;
}

/**
 * A global ID as its type name and row key, or null when it names nothing: not base64 of
 * "Type:key", or a key that cannot be a key. Every node is keyed by a UUID (every model's id is
 * `@db.Uuid`), so a key that is no UUID is refused here, before it reaches the database (where
 * PostgreSQL would fail the whole statement with 22P02 instead of finding nothing).
 */
export function parseGlobalId(globalId: string | null | undefined): GlobalId | null {
  if (!globalId) return null;
  try {
    const decoded = decodeGlobalID(String(globalId));
    return isUuid(decoded.id) ? decoded : null;
  } catch {
    return null;
  }
}

/**
 * The row id inside a global ID, or null when the ID is malformed or names another type.
 * Callers turn null into NotFoundError, so a wrong or foreign ID looks like a missing thing.
 */
export function decodeId(globalId: string | null | undefined, typename: string): string | null {
  const decoded = parseGlobalId(globalId);
  return decoded?.typename === typename ? decoded.id : null;
}

/** A global ID of that type, or a bare UUID (as in URLs like /events/<uuid>). */
export function decodeIdOrUuid(value: string | null | undefined, typename: string): string | null {
  if (!value) return null;
  if (isUuid(value)) return value;
  return decodeId(value, typename);
}

// Other spellings, so every module can use the one it reaches for first.
export const decodeGlobalId = decodeId;
export const decodeTypedId = decodeId;
export const fromGlobalId = decodeId;

export { encodeGlobalID as encodeId, encodeGlobalID as encodeGlobalId } from '@pothos/plugin-relay';
