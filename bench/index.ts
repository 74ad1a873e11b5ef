// `npm run bench`: every benchmark, one after the other. Prints figures and ratios; asserts nothing.
// Run one with `npm run bench -- engine`.
import { benchEngine } from './engine.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  engine: benchEngine,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  await run();
}
