import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

// Live streams are served over graphql-ws only. A WebSocket re-checks its session on every
// subscribe and is closed when that session is revoked (sign-out, password change or reset); a
// server-sent-events stream over plain HTTP would keep the viewer it started with for as long as
// it stays open. The web app never uses it, so it is refused rather than given a second copy of
// the revocation rules.
export function useWebSocketOnlySubscriptions(): Plugin<Context> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if ((args.contextValue as Context).transport === 'ws') return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql.', {
            extensions: { code: 'BAD_REQUEST' },
          }),
        ],
      });
    },
  };
}
