import { decodeId } from '../../../lib/global-id.js';
import { isUuid } from '../../../lib/ids.js';

/** An event's row id from its global ID or its bare UUID (as in the web path /events/<uuid>). */
export function eventIdFrom(value: unknown): string | null {
  const text = String(value);
  return isUuid(text) ? text : decodeId(text, 'Event');
}
