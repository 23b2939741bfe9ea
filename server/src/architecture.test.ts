import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rules of docs/ARCHITECTURE.md ("Layers and import rules"), checked over every
// source file of the server (not generated code, not tests):
//   1. infrastructure imports no domain module (and no composition root, which would import them);
//   2. a domain module reaches another module only through that module's index.ts;
//   3. the modules depend on each other without cycles.
// Type-only imports count: a type import couples the two modules just as much.

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Composition roots wire modules and infrastructure together; they may import anything. */
const COMPOSITION_ROOTS = ['app.ts', 'main.ts', 'schema/index.ts', 'schema/print.ts', 'seed/'];

interface Import {
  from: string;
  to: string;
  specifier: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: import/export … from, import(), import('…').Type. */
function specifiersOf(file: string): Array<{ specifier: string; line: number }> {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ specifier: string; line: number }> = [];
  const add = (node: ts.Node, literal: ts.Node | undefined) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      found.push({ specifier: literal.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** './x.js' → the .ts file it names (NodeNext style), or null for packages. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts'), base];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? base;
}

const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

/** 'modules/groups/events/x.ts' → 'groups'; anything outside modules/ → null. */
function moduleOf(file: string): string | null {
  const match = /^modules\/([^/]+)\//.exec(relative(file));
  return match ? match[1]! : null;
}

function isCompositionRoot(file: string): boolean {
  const rel = relative(file);
  return COMPOSITION_ROOTS.some((root) => (root.endsWith('/') ? rel.startsWith(root) : rel === root));
}

function allImports(): Import[] {
  return sourceFiles(SRC).flatMap((from) =>
    specifiersOf(from).flatMap(({ specifier, line }) => {
      const to = resolve(from, specifier);
      return to ? [{ from, to, specifier, line }] : [];
    }),
  );
}

const describeImport = (i: Import) => `${relative(i.from)}:${i.line} imports '${i.specifier}'`;

/** Every cycle in a directed graph, each once, as a path that returns to its start. */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const nodes = [...graph.keys()].sort();
  // Johnson-light: for each start node, search paths through nodes sorted after it.
  for (const start of nodes) {
    const stack: string[] = [start];
    const walk = (node: string) => {
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (next === start) cycles.push([...stack, start]);
        else if (next > start && !stack.includes(next)) {
          stack.push(next);
          walk(next);
          stack.pop();
        }
      }
    };
    walk(start);
  }
  return cycles;
}

// Violations being worked off go here, each to be removed once fixed: a new violation fails, and so
// does an entry that no longer occurs, so these lists can only shrink. Both are empty today.
const KNOWN_DEEP_IMPORTS = new Set<string>([]);
/** Module edges that close a cycle; without them the graph must be acyclic. */
const KNOWN_BACK_EDGES = new Set<string>([]);

describe('import rules (docs/ARCHITECTURE.md)', () => {
  const imports = allImports();

  it('finds the source files and their imports', () => {
    // Guards the test itself: a broken walk would make every rule below pass vacuously.
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((i) => moduleOf(i.to) === 'chat')).toBe(true);
  });

  it('keeps infrastructure free of domain modules and composition roots', () => {
    const offending = imports.filter(
      (i) =>
        moduleOf(i.from) === null && !isCompositionRoot(i.from) && (moduleOf(i.to) !== null || isCompositionRoot(i.to)),
    );
    expect(offending.map(describeImport), 'infrastructure must not import these').toEqual([]);
  });

  it("lets a module reach another module only through that module's index.ts", () => {
    const offending = imports.filter((i) => {
      const [from, to] = [moduleOf(i.from), moduleOf(i.to)];
      return from !== null && to !== null && from !== to && relative(i.to) !== `modules/${to}/index.ts`;
    });
    const keys = offending.map((i) => describeImport(i).replace(/:\d+ imports '(.*)'$/, ' imports $1'));
    expect(
      offending.filter((_, index) => !KNOWN_DEEP_IMPORTS.has(keys[index]!)).map(describeImport),
      "import the other module's index.ts instead",
    ).toEqual([]);
    expect(
      [...KNOWN_DEEP_IMPORTS].filter((known) => !keys.includes(known)),
      'fixed: remove these from KNOWN_DEEP_IMPORTS',
    ).toEqual([]);
  });

  it('keeps modules from importing composition roots', () => {
    const offending = imports.filter((i) => moduleOf(i.from) !== null && isCompositionRoot(i.to));
    expect(offending.map(describeImport)).toEqual([]);
  });

  it('has no cycles between modules', () => {
    const graph = new Map<string, Set<string>>();
    const evidence = new Map<string, Import>();
    const seenEdges = new Set<string>();
    for (const i of imports) {
      const [from, to] = [moduleOf(i.from), moduleOf(i.to)];
      if (from === null || to === null || from === to) continue;
      seenEdges.add(`${from}→${to}`);
      if (KNOWN_BACK_EDGES.has(`${from}→${to}`)) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
      if (!evidence.has(`${from}→${to}`)) evidence.set(`${from}→${to}`, i);
    }
    const cycles = cyclesOf(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, index) => `${cycle[index]} → ${to} (${describeImport(evidence.get(`${cycle[index]}→${to}`)!)})`)
        .join('; '),
    );
    expect(cycles, 'modules must depend on each other in one direction').toEqual([]);
    expect(
      [...KNOWN_BACK_EDGES].filter((edge) => !seenEdges.has(edge)),
      'fixed: remove these from KNOWN_BACK_EDGES',
    ).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(cyclesOf(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });
});
