import type { Templates } from '../support/templates.js';
import { bundleSizeBenchmark } from './bundle-size.bench.js';
import { chatFanoutBenchmark } from './chat-fanout.bench.js';
import { chatHistoryBenchmark } from './chat-history.bench.js';
import { chatIdleBenchmark } from './chat-idle.bench.js';
import { communityLoadBenchmark } from './community-load.bench.js';
import { directorySearchBenchmark } from './directory-search.bench.js';
import { graphqlOverheadBenchmark } from './graphql-overhead.bench.js';
import { markupBenchmark } from './markup.bench.js';
import { mentorSuggestionsBenchmark } from './mentor-suggestions.bench.js';
import { restartBenchmark } from './restart.bench.js';

export interface BenchResult {
  lines: string[];
  targets: Array<{ text: string; met: boolean }>;
}

export interface BenchContext {
  /** Migrated template databases of this run's back-end, to copy per benchmark. */
  templates: Templates;
}

export interface Benchmark {
  name: string;
  description: string;
  /** false: runs without the migrated template databases (the run skips preparing them if none needs them). */
  needsDatabase?: false;
  run(context: BenchContext): Promise<BenchResult>;
}

export const benchmarks: Benchmark[] = [
  graphqlOverheadBenchmark,
  directorySearchBenchmark,
  chatFanoutBenchmark,
  chatIdleBenchmark,
  chatHistoryBenchmark,
  mentorSuggestionsBenchmark,
  communityLoadBenchmark,
  markupBenchmark,
  bundleSizeBenchmark,
  restartBenchmark,
];
