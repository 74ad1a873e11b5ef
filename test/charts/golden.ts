// Golden files beside the tests: compared, or rewritten with UPDATE_GOLDEN=1 (then review the diff).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'golden');

export const updating = process.env.UPDATE_GOLDEN === '1';

/** The golden file's content; with UPDATE_GOLDEN=1 it is first written from `actual`. */
export function golden(name: string, actual: string | Buffer): Buffer {
  const path = join(DIR, name);
  if (updating) writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`no golden file ${name}: run with UPDATE_GOLDEN=1`);
  return readFileSync(path);
}
