import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

// A query cost limit that also sees page sizes passed as variables. graphql-armor's cost rule
// runs at validation, before variables are known, so `first: $n` would count as one item and
// a client could ask for 100 × 100 nested items at the price of one. This runs at execution
// (and subscription start) with the real variables, on HTTP and WebSocket alike.

export interface CostLimitOptions {
  maxCost: number;
  /** Page sizes above this are refused by the connections themselves. */
  maxPageSize: number;
  /** What a connection returns when `first`/`last` is left out (also for a missing variable). */
  defaultPageSize: number;
  objectCost?: number;
  scalarCost?: number;
  depthCostFactor?: number;
}

export function computeCost(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  options: CostLimitOptions,
): number {
  const objectCost = options.objectCost ?? 2;
  const scalarCost = options.scalarCost ?? 1;
  const depthCostFactor = options.depthCostFactor ?? 1.5;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;

  const bounded = (size: number) => Math.min(options.maxPageSize, Math.max(1, size));
  const pageSize = (value: ValueNode | undefined): number => {
    if (!value) return options.defaultPageSize;
    if (value.kind === Kind.INT) return bounded(Number.parseInt(value.value, 10) || 1);
    if (value.kind === Kind.VARIABLE) {
      const given = variables?.[value.name.value];
      return typeof given === 'number' && Number.isFinite(given) ? bounded(given) : options.defaultPageSize;
    }
    return options.defaultPageSize;
  };

  // Looks through inline fragments and fragment spreads too, so wrapping `edges` in a fragment
  // does not make a connection look like a single object.
  const selectsConnectionFields = (selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): boolean =>
    selectionSet.selections.some((child) => {
      if (child.kind === Kind.FIELD) return child.name.value === 'edges' || child.name.value === 'pageInfo';
      if (child.kind === Kind.INLINE_FRAGMENT) return selectsConnectionFields(child.selectionSet, visiting);
      const fragment = fragments.get(child.name.value);
      if (!fragment || visiting.has(child.name.value)) return false;
      return selectsConnectionFields(fragment.selectionSet, new Set([...visiting, child.name.value]));
    });

  const costOf = (selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
        if (!selection.selectionSet) {
          total += scalarCost;
          continue;
        }
        const sizeArgument = selection.arguments?.find(
          (arg) => arg.name.value === 'first' || arg.name.value === 'last',
        );
        // A connection without first/last still returns a default page; other lists count once.
        const isConnection = selectsConnectionFields(selection.selectionSet, new Set());
        const multiplier = sizeArgument ? pageSize(sizeArgument.value) : isConnection ? pageSize(undefined) : 1;
        total += multiplier * (objectCost + depthCostFactor * costOf(selection.selectionSet, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, visiting);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment cycle is a validation error anyway; count it once.
        if (!fragment || visiting.has(name)) continue;
        total += costOf(fragment.selectionSet, new Set([...visiting, name]));
      }
    }
    return total;
  };

  return costOf(operation.selectionSet, new Set());
}

export function useCostLimit(options: CostLimitOptions): Plugin {
  const refusal = (args: {
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: Readonly<Record<string, unknown>> | null;
  }) => {
    const cost = computeCost(args.document, args.operationName, args.variableValues, options);
    if (cost <= options.maxCost) return null;
    // Answered as an ordinary GraphQL error result, on both transports.
    return {
      errors: [
        new GraphQLError(`Query Cost limit of ${options.maxCost} exceeded, found ${Math.round(cost)}.`, {
          extensions: { code: 'COST_LIMIT_EXCEEDED' },
        }),
      ],
    };
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const result = refusal(args);
      if (result) setResultAndStopExecution(result);
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const result = refusal(args);
      if (result) setResultAndStopExecution(result);
    },
  };
}
