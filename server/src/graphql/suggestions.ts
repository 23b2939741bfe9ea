import type { Plugin } from 'graphql-yoga';

// graphql-js suggests names in its messages ('Did you mean "viewer"?', 'Did you mean the enum
// value "ALUMNI"?'), which hands out the schema that production keeps to itself (introspection
// is off there). graphql-armor's blockFieldSuggestion only looks at validation and only at one
// wording; enum values and input fields passed as variables are refused later, while variables
// are coerced at execution (or subscription start). This removes every suggestion from every
// phase; the WebSocket server runs the same enveloped phases, so both transports are covered.

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutSuggestions(errors: ReadonlyArray<Error>): void {
  for (const error of errors) {
    if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
  }
}

function hideInResult(result: unknown): void {
  // A stream's events are resolver output, not validation messages.
  if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
  const { errors } = result as { errors?: ReadonlyArray<Error> };
  if (errors) withoutSuggestions(errors);
}

export const hideSuggestions: Plugin = {
  onValidate:
    () =>
    ({ valid, result }) => {
      if (!valid) withoutSuggestions(result);
    },
  onExecute: () => ({ onExecuteDone: ({ result }) => hideInResult(result) }),
  onSubscribe: () => ({ onSubscribeResult: ({ result }) => hideInResult(result) }),
};
