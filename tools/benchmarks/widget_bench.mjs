// The widget in headless Chromium on loopback: bytes before the form is
// usable (raw and gzipped: wasm, JS, CSS and one catalog), the median time
// from navigation to an interactive form over 20 cold loads, and the median
// wasm time of one submission's work (make, then verify, a receipt).
//   node tools/benchmarks/widget_bench.mjs [--quick]
import { gzipSync } from 'node:zlib';
import { chromium } from '../../tests/browser/node_modules/playwright-core/index.mjs';
import { Intake } from '../../tests/support/intake.mjs';

const loads = process.argv.includes('--quick') ? 5 : 20;
const intake = new Intake();
await intake.start();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = [];
let bytes;
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext();  // cold: empty cache
  const page = await context.newPage();
  const files = new Map();
  page.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    if (/objection-form|objector-core|catalog|delivery|pending|intake-client|device-store|kept-receipts|i18n/.test(path)) {
      try { files.set(path, await r.body()); } catch {}
    }
  });
  const t0 = Date.now();
  await page.goto(`${intake.url}/?jurisdiction=GB`);
  await page.locator('objection-form button[type=submit]').waitFor();
  times.push(Date.now() - t0);
  if (!bytes) {
    await page.waitForTimeout(200);
    bytes = [...files.entries()].map(([path, body]) => ({ path, raw: body.length, gz: gzipSync(body, { level: 9 }).length }));
  }
  await context.close();
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
await intake.stop();
intake.remove();

const raw = bytes.reduce((s, b) => s + b.raw, 0);
const gz = bytes.reduce((s, b) => s + b.gz, 0);
for (const b of bytes.sort((a, b) => b.gz - a.gz)) console.log(`  ${b.path.padEnd(28)} ${String(b.raw).padStart(8)} raw ${String(b.gz).padStart(8)} gzipped`);
console.log(`  before the form is usable: ${raw} bytes raw, ${gz} bytes gzipped (goal <= 100 KB gzipped; ` +
  `orestbida/cookieconsent is about 15 KB, libsodium.js alone 190-300 KB)`);
console.log(`  navigation to an interactive form: median ${median(times)} ms over ${loads} cold loads`);
console.log(`  wasm work of one submission (make and sign the objection, verify it): median ${wasmMs.toFixed(2)} ms`);
