import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, print, visit, type DocumentNode, type SelectionSetNode } from 'graphql';
import { signUpMember } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The web client's documents are typed against the schema, but the server also refuses operations over
// its depth, alias, token and cost limits, which no type checker sees. This sends every community
// document, the way graphcache does (with __typename added), and checks none is refused for its shape.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

function withTypename(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      leave(node: SelectionSetNode) {
        if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename'))
          return node;
        return {
          ...node,
          selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
        };
      },
    },
  });
}

const LIMIT_MESSAGE = /cost limit|depth|aliases|token limit|directives/i;

describe('the community web documents', () => {
  it('stay within the server’s depth, alias, token and cost limits', async () => {
    const member = await signUpMember(server.graphqlUrl, { name: 'Doc Checker' });
    const cookie = `gh_session=${member.token}`;

    const refused: string[] = [];
    let checked = 0;
    for (const feature of ['people', 'groups', 'events', 'notifications']) {
      const documents = (await import(`../../web/src/features/${feature}/documents.ts`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(documents)) {
        const document = value as DocumentNode;
        const operation = document.definitions?.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
        // Subscriptions go over the WebSocket, which runs the same validation; over HTTP they are refused for the transport.
        if (!operation || operation.operation === 'subscription') continue;
        const response = await fetch(server.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
          // No variables: required ones fail at execution, after the limits were checked.
          body: JSON.stringify({ query: print(withTypename(parse(print(document)))) }),
        });
        const body = (await response.json()) as { errors?: { message: string }[] };
        const limits = (body.errors ?? [])
          .map((error) => error.message)
          .filter((message) => LIMIT_MESSAGE.test(message));
        if (limits.length > 0) refused.push(`${feature}.${name}: ${limits.join(' ')}`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(refused).toEqual([]);
  });
});
