import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga } from 'graphql-yoga';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/validation.js';
import { computeCost, type CostLimitOptions } from './cost-limit.js';

// Limits applied identically on HTTP and WebSocket: the WebSocket server runs every operation
// through yoga.getEnveloped(), so these envelop plugins cover both. Each is the largest operation
// the web app sends plus a margin; tests/api/api-surface-operations.test.ts measures every one of
// them with these very settings, fails when one outgrows a limit, and when a limit is left far
// above them all. Largest web operations when set (measured as sent, urql's __typename included):
// 120 tokens and depth 12 (ConversationThread), no aliases, no directives, cost 35,730
// (ConversationMessages at the largest page of 100, each message with its card).
export const LIMITS = {
  maxDepth: 14,
  // Our own API tests read up to 8 fields side by side; the web app none.
  maxAliases: 8,
  maxTokens: 250,
  // A chat history page of 100 messages with authors, reactions, mentions and cards costs ~36,000.
  maxCost: 40_000,
  maxDirectives: 5,
};

export const COST_OPTIONS: Omit<CostLimitOptions, 'maxCost'> = {
  maxPageSize: MAX_PAGE_SIZE,
  defaultPageSize: DEFAULT_PAGE_SIZE,
};

export interface OperationSize {
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

type Measured = (limit: keyof Omit<OperationSize, 'cost'>, n: number) => void;

/** graphql-armor as the server runs it; `measured` hears each size it accepts (for the tests). */
export function armorPlugin(measured?: Measured) {
  const report = (limit: Parameters<Measured>[0]) =>
    measured ? [(_context: unknown, { n }: { n: number }) => measured(limit, n)] : [];
  return EnvelopArmorPlugin({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, onAccept: report('depth') },
    maxAliases: { n: LIMITS.maxAliases, onAccept: report('aliases') },
    maxTokens: { n: LIMITS.maxTokens, onAccept: report('tokens') },
    // Cost is checked at execution by useCostLimit, where page-size variables are known.
    costLimit: { enabled: false },
    maxDirectives: { n: LIMITS.maxDirectives, onAccept: report('directives') },
    // hideSuggestions (suggestions.ts) covers every phase and wording; armor's covers validation only.
    blockFieldSuggestion: { enabled: false },
  });
}

/**
 * Sizes one operation the way the server does (the armor plugin above, and the cost at the given
 * variables), with the errors the server would answer. Parse or validation errors come back too.
 */
export function measureOperation(
  schema: GraphQLSchema,
  source: string,
  variables: Readonly<Record<string, unknown>>,
): { size: OperationSize; errors: string[] } {
  const size: OperationSize = { tokens: 0, depth: 0, aliases: 0, directives: 0, cost: 0 };
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [armorPlugin((limit, n) => void (size[limit] = Math.max(size[limit], n)))],
  });
  const { parse, validate } = yoga.getEnveloped({});
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error: unknown) {
    return { size, errors: [(error as Error).message] };
  }
  const errors: string[] = validate(schema, document).map((error: Error) => error.message);
  size.cost = computeCost(document, undefined, variables, { ...COST_OPTIONS, maxCost: LIMITS.maxCost });
  if (size.cost > LIMITS.maxCost) errors.push(`Query Cost limit of ${LIMITS.maxCost} exceeded, found ${size.cost}.`);
  return { size, errors };
}
