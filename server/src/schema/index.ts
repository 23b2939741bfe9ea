import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import '../modules/accounts/index.js';
import '../modules/people/index.js';
import '../modules/groups/index.js';
import '../modules/notifications/index.js';
import '../modules/chat/index.js';
import '../modules/safety/index.js';
import '../modules/email/index.js';
import '../modules/mentorship/index.js';
import '../modules/office-hours/index.js';
import '../modules/introductions/index.js';
import '../modules/home/index.js';
import '../modules/profile-actions/index.js';

// Every domain module registers its types by being imported above.
export const schema = lexicographicSortSchema(builder.toSchema());
