import { onGroupCreated, onMembershipEnded } from '../groups/index.js';
import { ensureGeneralChannel, publishAccessChange } from './chat.service.js';

// Chat's part in the changes of groups, registered when chat is imported (groups imports nothing
// from chat): every group has #general from the transaction that makes it, and a member who leaves,
// is removed or is banned loses their live streams of its channels at once.
onGroupCreated((tx, { groupId, createdById }) => ensureGeneralChannel(tx, groupId, createdById));
onMembershipEnded((ctx, { userId, groupId }) => publishAccessChange(ctx, { userId, groupId }));
