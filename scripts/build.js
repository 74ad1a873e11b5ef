// `npm run build` (and `prepare`, so `npm ci` runs it): compiles src/ to dist/ with esbuild, so
// starting kpibot loads JavaScript instead of transpiling TypeScript. Entry points: the CLI, the
// app and the store thread's worker; the lazily imported modules become chunks beside them, and
// the local workspace's page assets are copied to dist/page/ (where their URL resolves from
// there). Then the embedded store's template is made (scripts/store-template.ts), so a new
// store starts from it instead of PGlite's initdb.
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { sourceSignature } from '../bin/source-signature.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const started = Date.now();
const sources = sourceSignature(ROOT);

// Everything but the store templates: making one takes seconds, and its key says when it is due.
for (const name of existsSync(DIST) ? readdirSync(DIST) : []) {
  if (!name.startsWith('store-template-'))
    rmSync(join(DIST, name), { recursive: true, force: true });
}
await build({
  absWorkingDir: ROOT,
  entryPoints: {
    cli: 'src/cli.ts',
    main: 'src/main.ts',
    'thread-worker': 'src/store/thread-worker.ts',
    'store-template': 'scripts/store-template.ts',
  },
  outdir: DIST,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
cpSync(join(ROOT, 'src/local/page'), join(DIST, 'page'), { recursive: true });
// Written last: a build that failed half-way has no stamp, and the sources run instead.
writeFileSync(join(DIST, 'build.json'), `${JSON.stringify({ sources }, null, 2)}\n`);
process.stderr.write(`kpibot: built dist/ in ${Date.now() - started} ms\n`);
await import(pathToFileURL(join(DIST, 'store-template.js')).href);
