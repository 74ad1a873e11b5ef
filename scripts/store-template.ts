// Makes the embedded store's template for this install (src/store/template.ts), unless it is
// there already, and removes those of other versions. Run by scripts/build.js, from the built
// dist/store-template.js.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { storeTemplatePath } from '../src/store/template.ts';
import { buildStoreTemplate } from '../src/store/template-build.ts';

const path = storeTemplatePath();
for (const name of readdirSync(dirname(path))) {
  if (name.startsWith('store-template-') && name !== basename(path))
    rmSync(join(dirname(path), name));
}
if (!existsSync(path)) {
  const started = Date.now();
  await buildStoreTemplate(path);
  process.stderr.write(
    `kpibot: made the store template ${basename(path)} in ${Date.now() - started} ms\n`,
  );
}
