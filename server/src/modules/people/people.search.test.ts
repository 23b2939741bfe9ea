import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from './people.queries.js';
import { searchStatement } from './people.search.js';

const viewer = '01900000-0000-7000-8000-000000000001';

function infoOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('directory search counts only when asked', () => {
  it('sees totalCount directly, through inline fragments and through named fragments', () => {
    expect(selectsField(infoOf('{ people { totalCount edges { cursor } } }'), 'totalCount')).toBe(true);
    expect(selectsField(infoOf('{ people { ... on PersonConnection { totalCount } } }'), 'totalCount')).toBe(true);
    expect(
      selectsField(infoOf('{ people { ...F } } fragment F on PersonConnection { n: totalCount }'), 'totalCount'),
    ).toBe(true);
    expect(selectsField(infoOf('{ people { edges { node { id } } pageInfo { hasNextPage } } }'), 'totalCount')).toBe(
      false,
    );
    // A field of the same name deeper down is not the connection's count.
    expect(selectsField(infoOf('{ people { edges { node { groups { totalCount } } } } }'), 'totalCount')).toBe(false);
  });

  it('leaves the count out of the statement when not asked, with and without text', () => {
    for (const filter of [{}, { text: 'ada' }, { skills: ['Rust'], openTo: ['MENTORING' as const] }]) {
      const counted = searchStatement(viewer, filter, { first: 20 }).sql!;
      const uncounted = searchStatement(viewer, filter, { first: 20 }, { count: false }).sql!;
      expect(counted.sql).toContain('count(*)');
      expect(uncounted.sql).not.toContain('count(*)');
    }
  });
});
