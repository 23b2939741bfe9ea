import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../graphql-env.d.ts';

// Every document in the app goes through this `graphql` so a renamed field breaks the build, not the page.
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    // ISO-8601 in UTC on the wire; parse at the edge where a Date is actually needed.
    DateTime: string;
  };
}>();

export { readFragment } from 'gql.tada';
export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
