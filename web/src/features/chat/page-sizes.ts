// Page sizes of the chat client. They must stay under the server's query cost limit (25,000),
// which multiplies a selection by its page size and by 1.5 for every level of nesting;
// tests/e2e/chat-journey.test.ts checks every chat document at these sizes.
export const MESSAGE_PAGE_SIZE = 50;
export const CONVERSATION_PAGE_SIZE = 50;
export const SEARCH_PAGE_SIZE = 20;
export const DIRECTORY_PAGE_SIZE = 12;
