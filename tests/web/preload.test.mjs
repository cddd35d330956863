// The demo page preloads exactly what the form needs before it is usable:
// objection-form.js and every module it imports statically, at any depth
// (imports with import() come with the core, later), and a catalog. A module
// added to the form's path without its preload would bring back the waterfall
// of one import level at a time.
//   node --test tests/web/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, widgetDir } from '../support/intake.mjs';

// Static imports of a module in the assembled widget (generated modules too).
const staticImports = (name) => [...readFileSync(join(widgetDir, name), 'utf8')
  .matchAll(/^import\s[^;]*?from\s+'\.\/([\w.-]+)';/gm)].map(([, file]) => file);

function formGraph() {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    staticImports(name).forEach(visit);
  };
  visit('objection-form.js');
  return [...seen].sort();
}

test('the demo page preloads the form\'s whole static module graph and its catalog', () => {
  const page = readFileSync(join(root, 'web/demo/index.html'), 'utf8');
  const preloaded = [...page.matchAll(/<link rel="modulepreload" href="([\w.-]+)">/g)].map(([, file]) => file).sort();
  const graph = formGraph();
  assert.ok(graph.length > 5, `objection-form.js imports: ${graph}`);
  assert.deepEqual(preloaded, graph);
  assert.match(page, /<link rel="preload" href="i18n\/en-GB\.json" as="fetch" crossorigin>/);
  assert.match(page, /<link rel="preload" href="demo\/config\.json" as="fetch" crossorigin>/);
});
