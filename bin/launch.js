// Starts one of kpibot's entry points (src/cli.ts, src/main.ts). From dist/ when `npm run build`
// (run by `npm ci` as `prepare`) built it from the sources as they are now: no TypeScript is
// transpiled at start. Otherwise, when a source changed since (or nothing was built), from the
// sources through tsx, which is slower to start but never runs stale code.
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sourceSignature } from './source-signature.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether dist/ was built from the sources as they are now. */
export function builtFromCurrentSources() {
  try {
    const stamp = JSON.parse(readFileSync(join(ROOT, 'dist/build.json'), 'utf8'));
    return stamp.sources === sourceSignature(ROOT);
  } catch {
    return false; // not built, or unreadable: run the sources
  }
}

/** Runs `name` (`cli` or `main`) in this process, so signals reach it directly. */
export async function launch(name) {
  // Node 22.1+: compiled JavaScript is cached on disk between starts (Node 20 has no such cache).
  module.enableCompileCache?.();
  if (builtFromCurrentSources()) {
    await import(pathToFileURL(join(ROOT, 'dist', `${name}.js`)).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(ROOT, 'src', `${name}.ts`)).href);
}
