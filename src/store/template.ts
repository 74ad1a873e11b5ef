// The embedded store's template: a new store folder starts from a tarball of a data folder that
// was created and migrated once, at install (`npm ci` → `prepare` → scripts/build.js), instead of
// running PGlite's initdb, which takes seconds and most of the memory of a first start. The
// tarball's name carries a key of the PGlite version and the migrations, so a template from
// another version is never used; without one, a store is created as before.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from './migrations.ts';

/** The nearest folder at or above `dir` that holds a package.json. */
function packageFolder(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) throw new Error(`kpibot: no package.json above ${dir}`);
  }
}

function pgliteVersion(): string {
  // From the package's main entry (in its dist/) up to its package.json.
  const dir = packageFolder(
    dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
  );
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** Changes with the PGlite version and with any migration. */
export function storeTemplateKey(): string {
  return createHash('sha256')
    .update(JSON.stringify({ pglite: pgliteVersion(), MIGRATIONS }))
    .digest('hex')
    .slice(0, 16);
}

/** Where the build puts the template for these sources and this PGlite. */
export function storeTemplatePath(): string {
  // kpibot's own folder, from src/store/ or from a chunk in dist/.
  const root = packageFolder(dirname(fileURLToPath(import.meta.url)));
  return join(root, 'dist', `store-template-${storeTemplateKey()}.tar.gz`);
}

/** The template's file, if this install has one for its PGlite and migrations. */
export function installedStoreTemplate(): string | undefined {
  const path = storeTemplatePath();
  return existsSync(path) ? path : undefined;
}
