// Writes jurisdictions.js, the table of jurisdictions and their legal bases,
// from the core itself (the `jurisdictions` operation), so the form can
// render its country list before the wasm core is fetched, with no second
// copy of the table to keep in step.
//   node web/make-jurisdictions.mjs BUILD_DIR OUT_FILE   (run by web/CMakeLists.txt)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [buildDir, out] = process.argv.slice(2).map((p) => resolve(p));
const { loadCore } = await import(pathToFileURL(join(buildDir, 'objector-core.mjs')));
const core = await loadCore({ wasmBinary: readFileSync(join(buildDir, 'objector-core.wasm')) });
const table = core.jurisdictions().map(({ code, basis }) => [code, basis]);
writeFileSync(out, `// Generated from the core by web/make-jurisdictions.mjs: [ISO code, legal basis].
export const JURISDICTIONS = ${JSON.stringify(table)};
`);
