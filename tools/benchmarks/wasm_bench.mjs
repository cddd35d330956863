// The wasm core under node: median time of make_objection (build, commit,
// sign; JSON in and out), the same call objector-bench times natively.
//   node tools/benchmarks/wasm_bench.mjs build/wasm [--quick]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? 'build/wasm');
const quick = process.argv.includes('--quick');
const { loadCore } = await import(pathToFileURL(join(dir, 'objector-core.mjs')));
const core = await loadCore({ wasmBinary: readFileSync(join(dir, 'objector-core.wasm')) });

const args = JSON.stringify({
  controller: 'social.example/ai-training', jurisdiction: 'GB', services: ['facebook', 'instagram'],
  purposes: ['train-genai'], lang: 'en-GB', created: 1764131712, account: 'user:1234',
  device_seed: 'EBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBA=', r: 'kJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJA=',
});
const n = quick ? 300 : 3000;
for (let i = 0; i < 200; i++) core.callRaw('make_objection', args);  // warm up the JIT
const rates = [];
for (let run = 0; run < 7; run++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) core.callRaw('make_objection', args);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(n / seconds);
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ make_objection_per_s: Math.round(rates[3]) }));
