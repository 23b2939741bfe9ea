import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  visit,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, measureOperation, type OperationSize } from '../../server/src/graphql/limits.js';
import { schema } from '../../server/src/schema/index.js';
import { MAX_PAGE_SIZE } from '../../server/src/schema/validation.js';
import { repoRoot } from '../support/paths.js';

// Every operation the web app sends, exactly as it sends it, measured with the server's own
// limit settings (graphql-armor as the server configures it, and the server's cost function):
// none may be refused, so the limits can be as tight as the app allows. The documents are read
// from every graphql(`…`) call in web/src, wherever it is, with the fragments each one uses;
// urql's own formatDocument then adds __typename and drops client-only directives (@_unmask),
// as the client does before sending. Page sizes passed as variables count at the largest page
// the server allows, whatever the app passes today.

interface WebOperation {
  name: string;
  file: string;
  source: string;
  variables: Record<string, unknown>;
}

const webSrc = path.join(repoRoot, 'web/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const GRAPHQL_CALL = /\bgraphql\(\s*`([^`]*)`/g;

function spreadsOf(node: DefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

async function collectWebOperations(): Promise<WebOperation[]> {
  // urql as the web app resolves it (its own dependency, not the tests').
  const webRequire = createRequire(path.join(repoRoot, 'web/package.json'));
  const urqlCorePath = createRequire(webRequire.resolve('urql')).resolve('@urql/core');
  const { formatDocument } = (await import(pathToFileURL(urqlCorePath).href)) as {
    formatDocument: (document: DocumentNode) => DocumentNode;
  };

  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: Array<{ operation: OperationDefinitionNode; file: string }> = [];
  for (const file of sourceFiles(webSrc)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(GRAPHQL_CALL)) {
      const text = match[1]!;
      expect(text, `${file}: graphql() documents are plain text (fragments go in its second argument)`).not.toContain(
        '${',
      );
      for (const definition of parse(text).definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          const known = fragments.get(definition.name.value);
          expect(
            known && print(known) !== print(definition),
            `fragment ${definition.name.value} defined twice`,
          ).toBeFalsy();
          fragments.set(definition.name.value, definition);
        } else if (definition.kind === Kind.OPERATION_DEFINITION) {
          operations.push({ operation: definition, file: path.relative(repoRoot, file) });
        }
      }
    }
  }

  return operations.map(({ operation, file }) => {
    const used = new Map<string, FragmentDefinitionNode>();
    const pending = spreadsOf(operation);
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (used.has(name)) continue;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`${file}: ${operation.name?.value} uses an unknown fragment ${name}`);
      used.set(name, fragment);
      pending.push(...spreadsOf(fragment));
    }
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
    const variables: Record<string, unknown> = {};
    for (const definition of operation.variableDefinitions ?? []) {
      if (print(definition.type).replace('!', '') === 'Int') variables[definition.variable.name.value] = MAX_PAGE_SIZE;
    }
    return { name: operation.name?.value ?? '(anonymous)', file, source: print(formatDocument(document)), variables };
  });
}

let operations: WebOperation[];
let sizes: Array<{ operation: WebOperation; size: OperationSize; errors: string[] }>;

beforeAll(async () => {
  operations = await collectWebOperations();
  sizes = operations.map((operation) => ({
    operation,
    ...measureOperation(schema, operation.source, operation.variables),
  }));
});

/** How graphql-armor and the cost limit word a refusal. */
const LIMIT_ERROR = /limit of \d+ exceeded/i;

const LIMIT_NAMES = ['tokens', 'depth', 'aliases', 'directives', 'cost'] as const;
const limitOf: Record<keyof OperationSize, number> = {
  tokens: LIMITS.maxTokens,
  depth: LIMITS.maxDepth,
  aliases: LIMITS.maxAliases,
  directives: LIMITS.maxDirectives,
  cost: LIMITS.maxCost,
};

function largest(limit: keyof OperationSize): { name: string; value: number } {
  const top = sizes.reduce((best, entry) => (entry.size[limit] > best.size[limit] ? entry : best), sizes[0]!);
  return { name: top.operation.name, value: top.size[limit] };
}

describe('the operations of the web app', () => {
  it('are all found: queries, mutations and subscriptions from every feature', () => {
    const kinds = new Set(operations.map((operation) => operation.source.trimStart().split(/[\s({]/)[0]));
    expect(kinds).toEqual(new Set(['query', 'mutation', 'subscription']));
    expect(new Set(operations.map((operation) => operation.file.split('/')[3])).size).toBeGreaterThanOrEqual(6);
    expect(operations.length).toBeGreaterThan(60);
    // Names are unique, so a refusal in the server log points at one document.
    const names = operations.map((operation) => operation.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('are valid against the server schema', () => {
    const invalid = sizes.flatMap((entry) =>
      entry.errors
        .filter((error) => !LIMIT_ERROR.test(error))
        .map((error) => `${entry.operation.name} (${entry.operation.file}): ${error}`),
    );
    expect(invalid).toEqual([]);
  });

  it('each stays within every limit of the server (depth, tokens, aliases, directives, cost)', () => {
    const refused = sizes.flatMap((entry) =>
      entry.errors
        .filter((error) => LIMIT_ERROR.test(error))
        .map((error) => `${entry.operation.name} (${entry.operation.file}): ${error}`),
    );
    expect(refused).toEqual([]);
    for (const limit of LIMIT_NAMES) {
      const top = largest(limit);
      expect(top.value, `${limit}: ${top.name}`).toBeLessThanOrEqual(limitOf[limit]);
    }
  });

  it('leaves the limits tight: none above 2.5 times the largest operation (or a small floor)', () => {
    // The margin is room for the app's next features; a limit far above every real operation only
    // serves someone sending what the app never sends. The floors: the app sends no aliases or
    // directives, our API tests read up to 8 fields side by side.
    const floor = { tokens: 0, depth: 0, aliases: 8, directives: 5, cost: 0 };
    for (const limit of LIMIT_NAMES) {
      const top = largest(limit);
      expect(limitOf[limit], `${limit}: largest is ${top.value} (${top.name})`).toBeLessThanOrEqual(
        Math.max(2.5 * top.value, floor[limit]),
      );
    }
  });
});
