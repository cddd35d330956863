// web/receipts.js with the real wasm core and a real objector-intake: the
// receipt of an accepted objection is made, verified and kept before its
// pending copy goes; a receipt is checked offline and against the live log.
//   node --test tests/web/   (with OBJECTOR_WASM_DIR=build/wasm)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveIntake, testCore, widgetModule } from '../support/intake.mjs';

const { MemoryStore } = await widgetModule('device-store.js');
const { IntakeClient } = await widgetModule('intake-client.js');
const { keptReceipts } = await widgetModule('kept-receipts.js');
const { pendingItem } = await widgetModule('pending.js');
const { checkReceipt, keepAccepted } = await widgetModule('receipts.js');

const core = await testCore();

const intake = liveIntake();

function signed(account) {
  const o = core.makeObjection({ controller: 'social.example/ai-training', jurisdiction: 'GB', services: ['facebook'],
    purposes: ['train-ai'], lang: 'en-GB', created: Math.floor(Date.now() / 1000), account });
  return pendingItem(o, { intake: intake.url, account });
}

// A client whose accepted objections go through keepAccepted, as the element wires it.
function wired(account, { store = new MemoryStore(), trust = { log_key: intake.vkey } } = {}) {
  const kept = [];
  const c = new IntakeClient({
    intake: intake.url, store, token: () => intake.token(account),
    on: { accepted: async (item, reply) => { kept.push(await keepAccepted({ core, store, item, reply, trust })); } },
  });
  return { c, store, kept };
}

test('an accepted objection leaves a verified receipt on the device, then its pending copy goes', async () => {
  const { c, store, kept } = wired('user:receipts-1');
  const item = signed('user:receipts-1');
  await c.submit(item);
  assert.equal(kept.length, 1);
  assert.notEqual(kept[0].report, null);
  assert.equal(kept[0].publicReceipt.device_seed, undefined);
  assert.deepEqual(await store.all('pending'), []);
  const [receipt] = await keptReceipts(store, 'user:receipts-1');
  assert.equal(receipt.leaf_hash, item.leaf_hash);
  assert.equal(receipt.verified, true);
  assert.equal(receipt.text, kept[0].text);
  assert.deepEqual(await keptReceipts(store, 'user:someone-else'), []);
});

test('a receipt this page cannot verify (another log key) is kept all the same, marked so', async () => {
  const other = core.keygen();
  const wrong = `social.example/ai-training+00000000+${other.public_key}`;
  const { c, store, kept } = wired('user:receipts-2', { trust: { log_key: wrong } });
  await c.submit(signed('user:receipts-2'));
  assert.equal(kept[0].report, null);
  const [receipt] = await keptReceipts(store, 'user:receipts-2');
  assert.equal(receipt.verified, false);
  assert.deepEqual(await store.all('pending'), []);
});

test('when the receipt cannot be kept, the pending objection stays to be sent again', async () => {
  const store = new MemoryStore();
  const broken = {  // a device store whose receipts are full
    get: (...a) => store.get(...a), all: (...a) => store.all(...a), delete: (...a) => store.delete(...a),
    put: (name, record) => (name === 'receipts' ? Promise.reject(new Error('quota exceeded')) : store.put(name, record)),
  };
  const { c } = wired('user:receipts-3', { store: broken });
  const item = signed('user:receipts-3');
  await assert.rejects(c.submit(item), /quota exceeded/);
  assert.deepEqual((await store.all('pending')).map((p) => p.leaf_hash), [item.leaf_hash]);
});

test('checkReceipt: a genuine receipt is at its index in a log that extends its checkpoint', async () => {
  const { c, kept } = wired('user:receipts-4');
  await c.submit(signed('user:receipts-4'));
  await c.submit(signed('user:receipts-4'));  // the log grows past the first receipt's checkpoint
  const r = await checkReceipt({ core, client: c, text: kept[0].text, trust: { log_key: intake.vkey } });
  assert.equal(r.public, false);
  assert.deepEqual(r.services, ['facebook']);
  assert.ok(r.latest > r.size, `${r.latest} > ${r.size}`);
  const changed = kept[0].text.replace('"facebook"', '"instagram"');
  await assert.rejects(checkReceipt({ core, client: c, text: changed, trust: { log_key: intake.vkey } }),
    { stage: 'receipt' });
  const pub = core.canonicalize(JSON.stringify(kept[1].publicReceipt));
  assert.equal((await checkReceipt({ core, client: c, text: pub, trust: { log_key: intake.vkey } })).public, true);
});

test('checkReceipt: a log that cannot be reached is told apart from a changed file', async () => {
  const { c, kept } = wired('user:receipts-5');
  await c.submit(signed('user:receipts-5'));
  const gone = new IntakeClient({ intake: 'http://127.0.0.1:9', store: new MemoryStore(), token: () => null });
  await assert.rejects(checkReceipt({ core, client: gone, text: kept[0].text, trust: { log_key: intake.vkey } }),
    { stage: 'unreachable' });
});
