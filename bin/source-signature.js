// What the build stamp (dist/build.json) records of the sources it was built from: every file
// under src/ with its size and modification time, hashed. Stat-only, so checking it at each
// start costs a few milliseconds.

import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

export function sourceSignature(root) {
  const hash = createHash('sha256');
  for (const path of files(join(root, 'src')).sort()) {
    const { size, mtimeMs } = statSync(path);
    hash.update(`${relative(root, path)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}
