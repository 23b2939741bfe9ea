import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shareKeyOf } from './shared-stream.js';

const query =
  'subscription Feed($c: ID!, $after: Int) { conversationEvents(conversationId: $c, afterSeq: $after) { seq } }';

describe('share keys of fan-out subscriptions', () => {
  it('is the same for subscribers resuming from different seqs', () => {
    const a = shareKeyOf({ query, operationName: 'Feed', variables: { c: 'X', after: 3 } }, parse(query), ['afterSeq']);
    const b = shareKeyOf({ query, operationName: 'Feed', variables: { after: 900, c: 'X' } }, parse(query), [
      'afterSeq',
    ]);
    expect(a).toBe(b);
  });

  it('differs by conversation, by document and by other variables', () => {
    const base = shareKeyOf({ query, variables: { c: 'X' } }, parse(query), ['afterSeq']);
    expect(shareKeyOf({ query, variables: { c: 'Y' } }, parse(query), ['afterSeq'])).not.toBe(base);
    const other = query.replace('{ seq }', '{ seq kind }');
    expect(shareKeyOf({ query: other, variables: { c: 'X' } }, parse(other), ['afterSeq'])).not.toBe(base);
  });

  it('keeps a variable that is also used by a field other than afterSeq', () => {
    const q =
      'subscription($c: ID!, $n: Int) { conversationEvents(conversationId: $c, afterSeq: $n) { seq } other: conversationEvents(conversationId: $c) { seq message { replyCount } } }';
    // $n is only ever afterSeq here, so it is ignored; $c always counts.
    const a = shareKeyOf({ query: q, variables: { c: 'X', n: 1 } }, parse(q), ['afterSeq']);
    const b = shareKeyOf({ query: q, variables: { c: 'X', n: 2 } }, parse(q), ['afterSeq']);
    expect(a).toBe(b);
  });
});
