// `pnpm bench`: runs each benchmark in turn; each prints its figures and the ceiling it is
// compared against. `pnpm bench <name>` runs one. Exit code 1 when a target is missed.
import { prepareTemplates } from '../support/templates.js';
import { benchmarks } from './registry.js';

const wanted = process.argv.slice(2);
let failed = 0;
const selected = benchmarks.filter((bench) => wanted.length === 0 || wanted.includes(bench.name));
// Migrating the templates takes a while: only when a selected benchmark uses a database.
const templates = selected.some((bench) => bench.needsDatabase !== false)
  ? await prepareTemplates()
  : { pgliteTemplate: '', postgresTemplate: '', cleanup: async () => {} };
for (const bench of selected) {
  console.log(`\n━━ ${bench.name}: ${bench.description}`);
  const result = await bench.run({ templates });
  for (const line of result.lines) console.log(`   ${line}`);
  for (const target of result.targets) {
    console.log(`   ${target.met ? 'MET ' : 'MISS'} ${target.text}`);
    if (!target.met) failed += 1;
  }
}
await templates.cleanup();
console.log(failed === 0 ? '\nall targets met' : `\n${failed} target(s) missed`);
process.exit(failed === 0 ? 0 : 1);
