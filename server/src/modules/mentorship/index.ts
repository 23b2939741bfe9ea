// Registers the mentorship module's types and fields with the schema builder.
import './mentor-profile.type.js';
import './mentorship.mutations.js';
import './suggestions.type.js';

// What mentorship offers other modules (none build on it yet).
export { MenteeNeedsRef, MentorProfileRef } from './mentor-profile.type.js';
