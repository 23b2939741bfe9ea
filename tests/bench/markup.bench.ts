import { MAX_MESSAGE_LENGTH } from '../../server/src/modules/chat/chat.inputs.js';
import { parseMessage } from '@guildhall/markup';
import type { Benchmark } from './registry.js';

// The chat's Markdown parser on the inputs that make CommonMark parsers slow (nested emphasis, many
// openers, nested lists, brackets, backticks, half mentions), against ordinary prose of the same
// length, in the same run. Every message is parsed on send (who is mentioned) and by every reader's
// browser, so a slow one would be an easy denial of service.
//
// Targets only for what markup/src/limits.ts bounds: nested emphasis and lists nested on one line
// grew with the square of the length (and overflowed the stack) before. The other families are
// micromark's own cost, printed as figures: some grow faster than linear (runs of `[`, backticks),
// bounded by the 4,000-character message limit.

const FAMILIES: Record<string, (length: number) => string> = {
  prose: (n) => 'Could someone review the migration before we merge it? '.repeat(n).slice(0, n),
  'nested emphasis': (n) => `${'*a '.repeat(Math.floor(n / 6))}b${' a*'.repeat(Math.floor(n / 6))}`,
  'emphasis openers': (n) => '*a **a _a __a '.repeat(n).slice(0, n),
  'lists nested on a line': (n) => `${'1. '.repeat(Math.floor(n / 3))}x`,
  'lists nested by indent': (n) =>
    Array.from({ length: n }, (_, depth) => `${' '.repeat(depth * 2)}- x`)
      .join('\n')
      .slice(0, n),
  brackets: (n) => `${'['.repeat(n - 1)}x`,
  'links unclosed': (n) => '[a]('.repeat(n).slice(0, n),
  backticks: (n) => '`a``'.repeat(n).slice(0, n),
  'half mentions': (n) => '@[Ada'.repeat(n).slice(0, n),
  mentions: (n) => '@[Ada](UGVyc29uOjE=) '.repeat(n).slice(0, n),
};

// The fastest of many runs: on a loaded machine the others measure the neighbours and the GC.
const BOUNDED = new Set(['nested emphasis', 'lists nested on a line']);

function timeParse(source: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 25; round += 1) {
    const start = process.hrtime.bigint();
    parseMessage(source);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

export const markupBenchmark: Benchmark = {
  name: 'markup',
  description: 'chat Markdown parsing stays linear on pathological messages',
  async run() {
    const small = MAX_MESSAGE_LENGTH / 4;
    const large = MAX_MESSAGE_LENGTH;
    // Warm up the parser (and the JIT) before measuring.
    for (const make of Object.values(FAMILIES)) timeParse(make(small));
    const prose = timeParse(FAMILIES.prose!(large));
    const lines: string[] = [];
    const targets: { text: string; met: boolean }[] = [];
    for (const [name, make] of Object.entries(FAMILIES)) {
      const a = timeParse(make(small));
      const b = timeParse(make(large));
      const growth = b / a;
      const vsProse = b / prose;
      lines.push(
        `${name.padEnd(24)} ${small} chars ${a.toFixed(2)} ms, ${large} chars ${b.toFixed(2)} ms: ×${growth.toFixed(1)} for ×4 the text, ${vsProse.toFixed(1)}× prose`,
      );
      // Linear is ×4; quadratic would be ×16. A loaded machine adds noise, hence the margin.
      if (BOUNDED.has(name)) {
        targets.push({ text: `${name}: ×${growth.toFixed(1)} ≤ ×8 for ×4 the text`, met: growth <= 8 });
      }
    }
    return { lines, targets };
  },
};
