// Temporary: notification.fields.ts still imports this path. The rules live in groups.policy.ts.
export { PERMISSIONS } from './groups.policy.js';
