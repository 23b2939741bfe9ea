// Registers Person.viewerActions: what a member can do from a profile or a directory card (message,
// request mentorship, book office hours, ask for an introduction), each asked of the owning module's
// rule. It builds on chat, mentorship, office-hours and introductions, and nothing imports it.
import './profile-actions.js';

export { type ActionAnswer, type ViewerActions, viewerActionsFor } from './profile-actions.js';
