import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minifyIntrospectionQuery } from '@urql/introspection';
import react from '@vitejs/plugin-react';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { defaultClientConditions, defineConfig, type Plugin, type ProxyOptions } from 'vite';
import { precompress } from './precompress';

// The same SDL gql.tada types the documents from; the server's generator overwrites it.
const schemaPath = fileURLToPath(new URL('../server/schema.graphql', import.meta.url));
const apiOrigin = process.env.API_ORIGIN ?? 'http://localhost:4000';

// Graphcache needs the schema to match fragments on unions and interfaces (every mutation result is a
// union) without guessing. Deriving it at build time from the SDL keeps it from drifting from the types.
function graphqlSchemaModule(): Plugin {
  const publicId = 'virtual:graphql-schema';
  const resolvedId = `\0${publicId}`;
  return {
    name: 'guildhall:graphql-schema',
    resolveId(source) {
      return source === publicId ? resolvedId : undefined;
    },
    load(id) {
      if (id !== resolvedId) return undefined;
      this.addWatchFile(schemaPath);
      const schema = buildSchema(readFileSync(schemaPath, 'utf8'));
      return `export default ${JSON.stringify(minifyIntrospectionQuery(introspectionFromSchema(schema)))};`;
    },
  };
}

// Same-origin in development too, so the session cookie and the WebSocket upgrade behave as in production.
const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: apiOrigin, ws: true },
  '/healthz': { target: apiOrigin },
  '/readyz': { target: apiOrigin },
  // The signed unsubscribe links in emails are served by the API, not the web app.
  '/email/unsubscribe': { target: apiOrigin },
};

export default defineConfig({
  plugins: [react(), graphqlSchemaModule(), precompress()],
  // Workspace packages (@guildhall/markup) are bundled from their TypeScript source.
  resolve: { conditions: ['@guildhall/source', ...defaultClientConditions] },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks each entry and page imports (the bundle-size benchmark reads it).
    manifest: true,
  },
});
