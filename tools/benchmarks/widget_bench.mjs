// The widget in headless Chromium on loopback: bytes before the form is
// usable (the wasm held back until it is) and of all its files (wasm, JS, CSS,
// one catalog), raw and gzipped; the median time from navigation to an
// interactive form over 20 cold loads, beside the browser's floor on this
// machine (a page whose one module script adds a button); and the median wasm
// time of one submission's work (make, then verify, a receipt).
//   node tools/benchmarks/widget_bench.mjs [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '../../tests/browser/node_modules/playwright-core/index.mjs';
import { Intake } from '../../tests/support/intake.mjs';

const loads = process.argv.includes('--quick') ? 5 : 20;
const intake = new Intake();
await intake.start();
// The floor: the least a page can do to show a button from a module script,
// served the same way (another intake, a folder of its own).
const floorDir = mkdtempSync(join(tmpdir(), 'objector-floor-'));
writeFileSync(join(floorDir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title>' +
  '<link rel="icon" href="data:,"><script type="module" src="floor.js"></script></head><body></body></html>');
writeFileSync(join(floorDir, 'floor.js'), "const b = document.createElement('button'); b.type = 'submit'; b.textContent = 'Object';" +
  "document.body.append(b); performance.mark('floor:interactive');");
const floorIntake = new Intake(undefined, { web: floorDir });
await floorIntake.start();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The widget's own files (not the demo page's): module, styles, catalog, core.
const widgetFile = (path) => !/^\/(index\.html|demo\.js|demo\.css|demo\/|$)/.test(path) && !path.startsWith('/v1/');

// Bytes before the form is usable: the core (module, glue, wasm) is held back,
// and what had arrived when the element marked itself interactive is what it
// needed (what it fetches afterwards, with the core, is not).
async function widgetBytes() {
  const context = await browser.newContext();
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route(/objector-core\.(wasm|js|mjs)$/, async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  const files = new Map();
  let usable = null;
  page.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    if (!widgetFile(path)) return;
    try { files.set(path, await r.body()); } catch {}
  });
  await page.goto(`${intake.url}/?jurisdiction=GB`);
  await page.locator('objection-form button[type=submit]').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('objection-form:interactive').length > 0);
  await page.waitForTimeout(100);  // bodies of responses already received
  usable = new Set(await page.evaluate(() => {
    const interactive = performance.getEntriesByName('objection-form:interactive')[0].startTime;
    return performance.getEntriesByType('resource').filter((e) => e.responseEnd <= interactive)
      .map((e) => new URL(e.name).pathname);
  }));
  release();
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm') && e.responseEnd > 0));
  await page.waitForTimeout(300);
  await context.close();
  const size = (path, body) => ({ path, raw: body.length, gz: gzipSync(body, { level: 9 }).length, usable: usable.has(path) });
  return [...files.entries()].map(([path, body]) => size(path, body));
}
const bytes = await widgetBytes();

// Marks read by polling with a small evaluate: a Playwright locator would
// inject its own script into the page while it loads and be timed with it.
async function marksOnColdLoad(url, names) {
  const context = await browser.newContext();  // cold: empty cache
  const page = await context.newPage();
  await page.goto(url);
  const read = () => page.evaluate((ns) => ns.map((n) => performance.getEntriesByName(n)[0]?.startTime), names);
  let marks = await read();
  for (let waited = 0; marks.some((m) => m === undefined); waited += 20) {
    if (waited > 10000) throw new Error(`${url}: no ${names.join(', ')} mark after 10 s`);
    await new Promise((r) => setTimeout(r, 20));
    marks = await read();
  }
  await context.close();
  return marks;  // milliseconds from the navigation's start
}
const times = [];
const own = [];  // from the element's connection (the host page's own work excluded)
const floor = [];
for (let i = 0; i < loads; i++) {
  const [connected, interactive] = await marksOnColdLoad(`${intake.url}/?jurisdiction=GB`,
    ['objection-form:connected', 'objection-form:interactive']);
  times.push(Math.round(interactive));
  own.push(Math.round(interactive - connected));
  floor.push(Math.round((await marksOnColdLoad(`${floorIntake.url}/`, ['floor:interactive']))[0]));
}
const page = await browser.newPage();
await page.goto(`${intake.url}/?jurisdiction=GB`);
const wasmMs = await page.evaluate(async ([vkey]) => {
  const { loadCore } = await import('/objector-core.mjs');
  const core = await loadCore();
  const form = { controller: 'social.example/ai-training', jurisdiction: 'GB', services: ['facebook', 'instagram'],
    purposes: ['train-ai'], lang: 'en-GB', created: Math.floor(Date.now() / 1000), account: 'user:bench' };
  const runs = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const o = core.makeObjection(form);
    core.verifyEntry(o.entry);
    runs.push(performance.now() - t0);
  }
  return runs.sort((a, b) => a - b)[15];
}, [intake.vkey]);
await browser.close();
for (const i of [intake, floorIntake]) {
  await i.stop();
  i.remove();
}
rmSync(floorDir, { recursive: true, force: true });

const sum = (list, key) => list.reduce((s, b) => s + b[key], 0);
const before = bytes.filter((b) => b.usable);
for (const b of bytes.sort((a, b) => b.gz - a.gz)) {
  console.log(`  ${b.path.padEnd(28)} ${String(b.raw).padStart(8)} raw ${String(b.gz).padStart(8)} gzipped` +
    `${b.usable ? '  (before the form is usable)' : ''}`);
}
console.log(`  before the form is usable: ${sum(before, 'raw')} bytes raw, ${sum(before, 'gz')} bytes gzipped ` +
  '(goal <= 20 KB gzipped; orestbida/cookieconsent is about 15 KB)');
console.log(`  all widget files (wasm, JS, CSS, one catalog): ${sum(bytes, 'raw')} bytes raw, ${sum(bytes, 'gz')} bytes ` +
  'gzipped (goal <= 80 KB; Klaro is about 69 KB, libsodium.js alone 190-300 KB)');
console.log(`  navigation to an interactive form: median ${median(times)} ms over ${loads} cold loads (goal <= 100 ms); ` +
  `of it, from the element's connection: median ${median(own)} ms (the demo page fetches a session first)`);
console.log(`  the floor (a page whose one module script adds a button), same loads: median ${median(floor)} ms; ` +
  `the form takes ${(median(times) / median(floor)).toFixed(2)}x the floor`);
console.log(`  wasm work of one submission (make and sign the objection, verify it): median ${wasmMs.toFixed(2)} ms`);
