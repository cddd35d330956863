// Writes the widget's tables from the core itself, so the form can render
// before the wasm core is fetched with no second copy to keep in step:
//   jurisdictions.js  the jurisdictions and their legal bases (`jurisdictions`)
//   constants.js      the languages and how long a statement stays acceptable (`constants`)
//   node web/make-core-tables.mjs BUILD_DIR OUT_DIR   (run by web/CMakeLists.txt)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [buildDir, out] = process.argv.slice(2).map((p) => resolve(p));
const { loadCore } = await import(pathToFileURL(join(buildDir, 'objector-core.mjs')));
const core = await loadCore({ wasmBinary: readFileSync(join(buildDir, 'objector-core.wasm')) });
const table = core.jurisdictions().map(({ code, basis }) => [code, basis]);
writeFileSync(join(out, 'jurisdictions.js'), `// Generated from the core by web/make-core-tables.mjs: [ISO code, legal basis].
export const JURISDICTIONS = ${JSON.stringify(table)};
`);
const { languages, max_statement_age_s: maxAge } = core.constants();
writeFileSync(join(out, 'constants.js'), `// Generated from the core by web/make-core-tables.mjs (core/objection/statement.hpp).
// The widget's languages, the first the default.
export const LANGUAGES = ${JSON.stringify(languages)};
// How long after it was signed the intake accepts a statement, in seconds.
export const MAX_STATEMENT_AGE_S = ${maxAge};
`);
core.dispose?.();
