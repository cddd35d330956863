// web/intake-client.js, the widget's protocol, driven directly in node against
// a real objector-intake: objections signed by the wasm core, a queue kept
// when the intake is down, retries with backoff on a test clock, refusals.
//   node --test tests/web/   (with OBJECTOR_WASM_DIR=build/wasm)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { errorMessage, IntakeClient, IntakeError, loadDiscovery } from '../../web/intake-client.js';
import { freePort, Intake, root } from '../support/intake.mjs';

const wasmDir = resolve(process.env.OBJECTOR_WASM_DIR ?? join(root, 'build/wasm'));
const { loadCore } = await import(pathToFileURL(join(wasmDir, 'objector-core.mjs')));
const core = await loadCore({ wasmBinary: readFileSync(join(wasmDir, 'objector-core.wasm')) });

// The Web Storage interface the widget's queue uses (node has none).
class MemoryStorage {
  #items = new Map();
  getItem(k) { return this.#items.has(k) ? this.#items.get(k) : null; }
  setItem(k, v) { this.#items.set(k, String(v)); }
  removeItem(k) { this.#items.delete(k); }
}

// Timers under the test's control: they fire only when told.
class TestTimers {
  pending = [];
  setTimeout(fn, ms) { this.pending.push({ fn, ms }); return this.pending.length; }
  clearTimeout(id) { if (id) this.pending[id - 1] = null; }
  delays() { return this.pending.filter(Boolean).map((t) => t.ms); }
  async fire() {
    const due = this.pending.filter(Boolean);
    this.pending = [];
    for (const t of due) await t.fn();
  }
}

let intake;
before(async () => {
  intake = new Intake();
  await intake.start();
});
after(async () => {
  await intake?.stop();
  intake?.remove();
});
beforeEach(() => { globalThis.localStorage = new MemoryStorage(); });

function signed(account, base = intake.url) {
  const o = core.makeObjection({ controller: 'social.example/ai-training', jurisdiction: 'GB', services: ['facebook'],
    purposes: ['train-ai'], lang: 'en-GB', created: Math.floor(Date.now() / 1000), account });
  return { intake: base, leaf_hash: o.leaf_hash, token: intake.token(account),
    body: JSON.stringify({ entry: o.entry, opening: o.opening }),
    objection: { entry: o.entry, opening: o.opening, device_seed: o.device_seed } };
}

function client(options) {
  const seen = { replies: [], queued: 0, errors: [] };
  const c = new IntakeClient({
    intake: intake.url,
    onReply: (item, reply) => { seen.replies.push({ item, reply }); c.delivered(item); },
    onQueued: () => { seen.queued++; },
    onError: (item, error) => { seen.errors.push(error); },
    ...options,
  });
  return { c, seen };
}

test('an accepted objection comes back with a proof that verifies as a receipt', async () => {
  const { c, seen } = client();
  const item = signed('user:accepted');
  await c.send(item);
  assert.equal(seen.replies.length, 1);
  const { reply } = seen.replies[0];
  assert.equal(reply.leaf_hash, item.leaf_hash);
  const receipt = core.makeReceipt({ ...item.objection, proof: reply.proof });
  const report = core.verifyReceipt(receipt, { log_key: intake.vkey });
  assert.equal(report.index, reply.index);
  assert.equal(c.hasPending(), false);
});

test('a refusal throws the intake\'s code and forgets the objection', async () => {
  const { c, seen } = client();
  const item = { ...signed('user:refused'), token: 'not-a-token' };
  await assert.rejects(c.send(item), (e) => e instanceof IntakeError && e.status === 401 && e.code === 'token_invalid');
  assert.equal(seen.replies.length, 0);
  assert.equal(c.hasPending(), false);
});

test('with the intake down the objection is kept, retried with backoff, and delivered once when it is back', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const timers = new TestTimers();
  const { c, seen } = client({ intake: base, timers });
  const item = signed('user:offline', base);
  assert.equal(await c.send(item), null);
  assert.equal(seen.queued, 1);
  assert.equal(c.hasPending(), true);
  assert.deepEqual(timers.delays(), [1000]);
  await timers.fire();  // still down: kept, next try later
  assert.equal(seen.queued, 2);
  assert.deepEqual(timers.delays(), [2000]);

  const second = new Intake();
  second.dir = intake.dir;  // the same log, now on the port the client was told
  second.vkey = intake.vkey;
  await intake.stop();
  await second.start(port);
  try {
    const before = await second.treeSize();
    await timers.fire();
    assert.equal(seen.replies.length, 1);
    assert.equal(c.hasPending(), false);
    assert.equal(await second.treeSize(), before + 1);
    await c.retry();  // nothing left to send
    assert.equal(seen.replies.length, 1);
  } finally {
    await second.stop();
    await intake.start();
  }
});

test('reads of the public log: proofs, and errors as IntakeError', async () => {
  const { c } = client();
  await assert.rejects(c.getJson('/v1/proof/AAAA'), (e) => e.status === 400 && e.code === 'bad_leaf_hash');
  const c2 = await c.getJson('/v1/consistency/1');
  assert.equal(typeof c2.checkpoint, 'string');
  const opened = core.openCheckpoint(c2.checkpoint, { log_key: intake.vkey });
  assert.equal(opened.checkpoint.size, c2.new_size);
});

test('the message for an answer: the code\'s own, else the generic one', () => {
  const catalog = { 'error.token_expired': 'x', 'error.generic': 'y {message}' };
  assert.deepEqual(errorMessage(catalog, new IntakeError(401, 'token_expired', 'expired')), { key: 'error.token_expired', params: {} });
  assert.deepEqual(errorMessage(catalog, new IntakeError(400, 'bad_signature', 'no')),
    { key: 'error.generic', params: { message: 'no' } });
  assert.deepEqual(errorMessage(catalog, new Error('offline')), { key: 'error.generic', params: { message: 'offline' } });
});

test('the discovery document configures a client and its key opens the checkpoint', async () => {
  const d = await loadDiscovery(`${intake.url}/.well-known/objector`);
  assert.equal(d.origin, 'social.example/ai-training');
  assert.equal(d.log_key, intake.vkey);
  assert.deepEqual(d.services.map((s) => s.id), ['facebook', 'instagram']);
  const { LANGUAGES } = await import('../../web/catalog.js');
  assert.deepEqual(d.languages, LANGUAGES);  // the intake names the widget's languages
  const checkpoint = await (await fetch(`${intake.url}/checkpoint`)).text();
  assert.equal(core.openCheckpoint(checkpoint, { log_key: d.log_key }).checkpoint.origin, d.origin);
  await assert.rejects(loadDiscovery(`${intake.url}/checkpoint`), (e) => e.code === 'bad_discovery');
});
