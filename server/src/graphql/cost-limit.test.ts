import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { computeCost } from './cost-limit.js';

const options = { maxCost: 5000, maxPageSize: 100, defaultPageSize: 20 };
const doc = parse(`query Q($n: Int) { viewer { sessions(first: $n) { edges { node { id } } } } }`);

describe('computeCost', () => {
  it('multiplies a connection by the page size given in a variable', () => {
    const small = computeCost(doc, 'Q', { n: 1 }, options);
    const large = computeCost(doc, 'Q', { n: 100 }, options);
    expect(large).toBeGreaterThan(small * 50);
  });

  it('uses the default page size when the variable is missing, and caps at the largest page', () => {
    expect(computeCost(doc, 'Q', {}, options)).toBe(computeCost(doc, 'Q', { n: 20 }, options));
    expect(computeCost(doc, 'Q', { n: 10_000 }, options)).toBe(computeCost(doc, 'Q', { n: 100 }, options));
  });

  it('counts literal page sizes and fragments like inline selections', () => {
    const literal = parse(`{ viewer { sessions(first: 7) { edges { node { id } } } } }`);
    const withFragment = parse(
      `{ viewer { sessions(first: 7) { edges { node { ...F } } } } } fragment F on Session { id }`,
    );
    expect(computeCost(literal, undefined, {}, options)).toBe(computeCost(doc, 'Q', { n: 7 }, options));
    expect(computeCost(withFragment, undefined, {}, options)).toBe(computeCost(literal, undefined, {}, options));
  });

  it('prices a connection whose edges sit in a fragment like one whose edges do not', () => {
    const plain = parse(`{ viewer { sessions { edges { node { id } } } } }`);
    const inline = parse(`{ viewer { sessions { ... on ViewerSessionsConnection { edges { node { id } } } } } }`);
    const spread = parse(
      `{ viewer { sessions { ...E } } } fragment E on ViewerSessionsConnection { edges { node { id } } }`,
    );
    const plainCost = computeCost(plain, undefined, {}, options);
    expect(plainCost).toBe(computeCost(doc, 'Q', { n: 20 }, options));
    expect(computeCost(inline, undefined, {}, options)).toBe(plainCost);
    expect(computeCost(spread, undefined, {}, options)).toBe(plainCost);
  });

  it('ignores introspection', () => {
    expect(computeCost(parse(`{ __schema { types { name fields { name } } } }`), undefined, {}, options)).toBe(0);
  });
});
