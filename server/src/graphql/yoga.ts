import type { IncomingMessage } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { type GraphQLSchema, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { AppServices, Context, Viewer } from '../context.js';
import { yogaLoggerFor } from '../logger.js';
import { useCostLimit } from './cost-limit.js';
import { armorPlugin, COST_OPTIONS, LIMITS } from './limits.js';
import { useContextPerLiveEvent } from './live-events.js';
import { useWebSocketOnlySubscriptions } from './websocket-only-subscriptions.js';
import { hideSuggestions } from './suggestions.js';
import { maskError, useUnavailableStatus } from './unavailable.js';

/** What the Node adapter hands Yoga for an HTTP request. */
export interface HttpServerContext {
  req: IncomingMessage;
}

/** What the WebSocket server hands Yoga for each operation, already authenticated at connect. */
export interface WsServerContext {
  ws: { viewer: Viewer | null; clientAddress: string; userAgent: string | null };
}

export { LIMITS } from './limits.js';

export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

// Yoga's own plugin decides per HTTP request and so misses WebSocket operations; this one
// adds the rule to every validation, whatever the transport.
const disableIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

export interface GraphQLServerOptions {
  schema: GraphQLSchema;
  isAllowedOrigin(origin: string): boolean;
  /** Who sent this HTTP request, and Set-Cookie values for its answer (a renewed session). */
  authenticate(request: Request): Promise<{ viewer: Viewer | null; responseCookies: string[] }>;
}

export function createGraphQLServer(services: AppServices, options: GraphQLServerOptions) {
  const { env } = services;
  const { schema, isAllowedOrigin } = options;
  // Cookies set by resolvers (sign in, sign out) are attached to the matching response.
  const cookiesByRequest = new WeakMap<Request, string[]>();

  const responseCookies: Plugin = {
    onResponse({ request, response }) {
      for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };

  return createYoga<HttpServerContext | WsServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: !env.isProduction,
    landingPage: false,
    batching: false,
    // Unexpected errors are masked; a database that did not answer is UNAVAILABLE (graphql/unavailable.ts).
    maskedErrors: { maskError },
    // Yoga's own messages (unexpected errors with their stacks, debug traces) go to the server log.
    logging: yogaLoggerFor(services.logger),
    cors: (request) => {
      const origin = request.headers.get('origin');
      // Credentialed cross-origin calls only from allowed origins; everyone else gets no CORS headers.
      if (!origin || !isAllowedOrigin(origin)) return false;
      return { origin, credentials: true, methods: ['GET', 'POST'] };
    },
    plugins: [
      // A browser cannot send this header cross-site without a preflight, which CORS refuses.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      armorPlugin(),
      useCostLimit({ ...COST_OPTIONS, maxCost: LIMITS.maxCost }),
      // Every live event is resolved with the recipient's access as it is when it is delivered.
      useContextPerLiveEvent(),
      useWebSocketOnlySubscriptions(),
      ...(env.isProduction ? [disableIntrospection, hideSuggestions] : []),
      responseCookies,
      useUnavailableStatus(),
    ],
    context: async (initial): Promise<Context> => {
      if ('ws' in initial) {
        return {
          ...services,
          ...initial.ws,
          transport: 'ws',
          responseCookies: [],
        };
      }
      const { request, req } = initial as HttpServerContext & { request: Request };
      const { viewer, responseCookies: cookies } = await options.authenticate(request);
      cookiesByRequest.set(request, cookies);
      return {
        ...services,
        viewer,
        clientAddress: clientAddressOf(req, env.TRUST_PROXY),
        userAgent: request.headers.get('user-agent'),
        transport: 'http',
        responseCookies: cookies,
      };
    },
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
