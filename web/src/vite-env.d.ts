/// <reference types="vite/client" />

declare module 'virtual:graphql-schema' {
  // Minified introspection of server/schema.graphql, produced by vite.config.ts for graphcache.
  import type { IntrospectionQuery } from 'graphql';
  const schema: IntrospectionQuery;
  export default schema;
}
