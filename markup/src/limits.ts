import { attention } from 'micromark-core-commonmark';
import type { Construct, Extension, ParseContext, State } from 'micromark-util-types';

// CommonMark's emphasis and lists cost more than linear time when nested without end: resolving
// `*a *a *a … a* a* a*` re-resolves everything between each pair (a 4,000-character message took
// 12× as long as plain text), and `1. 1. 1. …` nests a list per marker. Chat needs neither deep:
// past these bounds the markers are text, as typed, and parsing stays linear (`pnpm bench markup`).
// (A list nests deep cheaply only with many markers on one line; deeper by indentation costs the
// square of the depth in characters, which the message length bounds.)

/** Runs of `*` or `_` a message may use as emphasis; later ones are text. */
export const MAX_EMPHASIS_RUNS = 100;
/** List markers one line may open; a message with more is parsed without lists. */
export const MAX_LIST_MARKERS_ON_A_LINE = 8;

// Indentation only before the first marker, so no two parts compete for the same spaces (no backtracking).
const DEEP_LIST = new RegExp(`^[ \\t]*(?:(?:[-+*]|\\d{1,9}[.)])[ \\t]+){${MAX_LIST_MARKERS_ON_A_LINE + 1}}`, 'm');

/** Whether a message nests lists deeper on one line than chat parses. */
export function nestsListsTooDeep(source: string): boolean {
  return DEEP_LIST.test(source);
}

const runsSeen = new WeakMap<ParseContext, number>();

const boundedAttention: Construct = {
  name: 'boundedAttention',
  resolveAll: attention.resolveAll,
  tokenize(effects, ok, nok): State {
    const seen = runsSeen.get(this.parser) ?? 0;
    if (seen >= MAX_EMPHASIS_RUNS) return nok;
    runsSeen.set(this.parser, seen + 1);
    return attention.tokenize.call(this, effects, ok, nok);
  },
};

const STAR = 42;
const UNDERSCORE = 95;

/** Replaces CommonMark's emphasis with the bounded one. */
export function boundedEmphasis(): Extension {
  return {
    disable: { null: ['attention'] },
    text: { [STAR]: boundedAttention, [UNDERSCORE]: boundedAttention },
  };
}
