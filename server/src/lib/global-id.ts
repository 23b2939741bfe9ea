import { decodeGlobalID } from '@pothos/plugin-relay';
import { isUuid } from './ids.js';

/**
 * The row id inside a global ID, or null when the ID is malformed or names another type.
 * Callers turn null into NotFoundError, so a wrong or foreign ID looks like a missing thing.
 */
export function decodeId(globalId: string | null | undefined, typename: string): string | null {
  if (!globalId) return null;
  try {
    const decoded = decodeGlobalID(String(globalId));
    return decoded.typename === typename && isUuid(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
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
