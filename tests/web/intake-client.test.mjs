// The widget's protocol (web/intake-client.js and the queue rules of
// web/pending.js), driven directly in node against a real objector-intake:
// objections signed by the wasm core, kept per account while the intake is
// down or the sign-in expired, retried on a test clock, delivered once.
//   node --test tests/web/   (with OBJECTOR_WASM_DIR=build/wasm)
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, Intake, liveIntake, MailSink, testCore, widgetModule } from '../support/intake.mjs';

// The assembled widget's modules (they import what is generated from the core).
const { MemoryStore } = await widgetModule('device-store.js');
const { errorMessage, IntakeClient, IntakeError, loadDiscovery, tokenAccount } = await widgetModule('intake-client.js');
const { MAX_AGE_S, outcome, pendingItem, takeLegacyPending } = await widgetModule('pending.js');

const core = await testCore();

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

const intake = liveIntake();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function signed(account, { base = intake.url, created = Math.floor(Date.now() / 1000), controller } = {}) {
  const o = core.makeObjection({ controller: controller ?? 'social.example/ai-training', jurisdiction: 'GB',
    services: ['facebook'], purposes: ['train-ai'], lang: 'en-GB', created, account });
  return pendingItem(o, { intake: base, account, reason: 'mine' });
}

// A client as the widget makes one, recording what it reports and every
// request it sends (the real fetch does the work).
function client({ base = intake.url, token = null, ...options } = {}) {
  const seen = { accepted: [], rejected: [], expired: [], waiting: [], posts: [] };
  const state = { token };
  const store = options.store ?? new MemoryStore();
  const c = new IntakeClient({
    intake: base, store, token: () => state.token,
    fetch: (url, init) => {
      if (init?.method === 'POST') seen.posts.push(JSON.parse(init.body).entry.statement.subject);
      return fetch(url, init);
    },
    on: {
      accepted: async (item, reply) => { seen.accepted.push({ item, reply }); },
      rejected: (item, error) => seen.rejected.push({ item, error }),
      expired: (item) => seen.expired.push(item),
      waiting: (items, why) => seen.waiting.push({ count: items.length, why }),
    },
    ...options,
  });
  return { c, seen, state, store };
}

// The same log served on `port` (the client was told that URL).
async function moveIntake(port) {
  await intake.stop();
  await intake.start(port);
}

test('an accepted objection comes back with a proof that verifies as a receipt', async () => {
  const { c, seen, store } = client({ token: intake.token('user:accepted') });
  const item = signed('user:accepted');
  await c.submit(item);
  assert.equal(seen.accepted.length, 1);
  const { reply } = seen.accepted[0];
  assert.equal(reply.leaf_hash, item.leaf_hash);
  const receipt = core.makeReceipt({ ...item, proof: reply.proof });
  assert.equal(core.verifyReceipt(receipt, { log_key: intake.vkey }).index, reply.index);
  assert.deepEqual(await store.all('pending'), []);
});

test('offline, then the sign-in expires: kept without the token, sent once with a fresh token', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const timers = new TestTimers();
  const { c, seen, state, store } = client({ base, timers, token: intake.token('user:offline', '2s') });
  const item = signed('user:offline', { base });
  await c.submit(item);
  assert.deepEqual(seen.waiting, [{ count: 1, why: 'offline' }]);
  assert.deepEqual(timers.delays(), [1000]);
  await timers.fire();  // still down: kept, retried later
  assert.deepEqual(timers.delays(), [2000]);
  // What is kept is what a retry needs, and never the bearer token.
  const kept = await store.all('pending');
  assert.deepEqual(Object.keys(kept[0]).sort(),
    ['account', 'created', 'device_seed', 'entry', 'intake', 'leaf_hash', 'opening', 'reason']);
  assert.ok(!JSON.stringify(kept).includes(state.token));

  await sleep(2100);  // the token expires
  const before = await intake.treeSize();
  await moveIntake(port);
  await timers.fire();  // 401: kept for the person to sign in again; no timer
  assert.deepEqual(seen.waiting.at(-1), { count: 1, why: 'signin' });
  assert.deepEqual(timers.delays(), []);
  assert.equal((await c.pending('user:offline')).length, 1);
  assert.equal(seen.accepted.length, 0);

  state.token = intake.token('user:offline');
  await c.flush();
  assert.equal(seen.accepted.length, 1);
  assert.equal(await intake.treeSize(), before + 1);
  await c.flush();  // nothing left
  assert.equal(seen.accepted.length, 1);
  assert.deepEqual(await store.all('pending'), []);
});

test('another account signed in: nothing of the first is sent; it goes later with its own token', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { c, seen, state } = client({ base, timers: new TestTimers(), token: intake.token('user:ana') });
  const ana = signed('user:ana', { base });
  await c.submit(ana);  // intake down: kept for user:ana
  await moveIntake(port);
  state.token = intake.token('user:bo');
  seen.posts.length = 0;
  await c.flush();
  assert.deepEqual(seen.posts, []);
  assert.equal(seen.accepted.length, 0);
  assert.deepEqual(await c.pending('user:bo'), []);
  assert.equal((await c.pending('user:ana')).length, 1);
  assert.equal(await c.anyPending(), true);  // all a signed-out page may learn
  state.token = intake.token('user:ana');
  await c.flush();
  assert.equal(seen.accepted.length, 1);
  assert.equal(seen.accepted[0].item.account, 'user:ana');
});

test('every queued objection is sent when the connection returns, each once', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { c, seen } = client({ base, timers: new TestTimers(), token: intake.token('user:many') });
  for (let i = 0; i < 3; i++) await c.submit(signed('user:many', { base, created: Math.floor(Date.now() / 1000) - i }));
  await moveIntake(port);
  const before = await intake.treeSize();
  await Promise.all([c.flush(), c.flush()]);  // online event and a timer at once
  assert.equal(seen.accepted.length, 3);
  assert.equal(new Set(seen.accepted.map((a) => a.item.leaf_hash)).size, 3);
  assert.equal(await intake.treeSize(), before + 3);
});

test('a definitive refusal removes the objection and says why', async () => {
  const { c, seen, store } = client({ token: intake.token('user:refused') });
  await c.submit(signed('user:refused', { controller: 'other.example/log' }));
  assert.equal(seen.rejected.length, 1);
  assert.ok(seen.rejected[0].error instanceof IntakeError);
  assert.equal(seen.rejected[0].error.status, 400);
  assert.equal(seen.rejected[0].error.code, 'wrong_controller');
  assert.deepEqual(await store.all('pending'), []);
});

test('429 keeps the objection and waits as long as Retry-After says', async () => {
  const limited = new Intake();
  const path = join(limited.dir, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  config.limits.rate_per_second = 0.1;
  config.limits.rate_burst = 1;
  writeFileSync(path, JSON.stringify(config));
  await limited.start();
  try {
    const timers = new TestTimers();
    const { c, seen } = client({ base: limited.url, timers, token: limited.token('user:busy') });
    await c.submit(signed('user:busy', { base: limited.url }));
    assert.equal(seen.accepted.length, 1);
    await c.submit(signed('user:busy', { base: limited.url }));
    assert.deepEqual(seen.waiting, [{ count: 1, why: 'offline' }]);
    assert.equal((await c.pending('user:busy')).length, 1);
    const [delay] = timers.delays();
    assert.ok(delay >= 9000 && delay <= 10000, `${delay} ms`);
  } finally {
    await limited.stop();
    limited.remove();
  }
});

test('an objection the intake can no longer accept expires, and the person is told', async () => {
  const now = Math.floor(Date.now() / 1000);
  let clock = now;
  const { c, seen, store } = client({ base: 'http://127.0.0.1:9', timers: new TestTimers(), now: () => clock,
    token: intake.token('user:late') });
  await c.submit(signed('user:late', { base: 'http://127.0.0.1:9' }));
  assert.equal(seen.expired.length, 0);
  clock = now + MAX_AGE_S;
  seen.posts.length = 0;
  await c.flush();
  assert.equal(seen.expired.length, 1);
  assert.deepEqual(seen.posts, []);
  assert.deepEqual(await store.all('pending'), []);
});

test('what each answer means for a pending objection', () => {
  const cases = [[201, null, 'accepted'], [200, null, 'accepted'], [401, 'token_expired', 'signin'],
    [401, 'token_invalid', 'signin'], [403, 'account_mismatch', 'signin'], [400, 'bad_signature', 'rejected'],
    [400, 'bad_time', 'rejected'], [409, 'device_key_reused', 'rejected'], [413, 'body_too_large', 'rejected'],
    [408, 'request_timeout', 'wait'], [429, 'rate_limited', 'wait'], [500, 'storage_error', 'wait'],
    [503, 'overloaded', 'wait'], [503, 'shutting_down', 'wait'], [404, 'not_found', 'wait']];
  for (const [status, code, want] of cases) assert.equal(outcome(status, code), want, `${status} ${code}`);
});

test('pending objections of the earlier release are adopted without token or e-mail address', async () => {
  const item = signed('user:legacy');
  const storage = new Map([['objector.pending.v1', JSON.stringify([{ intake: intake.url, leaf_hash: item.leaf_hash,
    token: 'secret-token', body: JSON.stringify({ entry: item.entry, opening: item.opening, contact: 'a@b.example',
      reason: 'mine' }),
    objection: { entry: item.entry, opening: item.opening, device_seed: item.device_seed } }])]]);
  const ls = { getItem: (k) => storage.get(k) ?? null, removeItem: (k) => storage.delete(k) };
  const [adopted] = takeLegacyPending(ls);
  assert.deepEqual(adopted, item);
  assert.equal(storage.size, 0);
  assert.deepEqual(takeLegacyPending(ls), []);
});

test('the account a token speaks for', () => {
  assert.equal(tokenAccount(intake.token('user:42')), 'user:42');
  assert.equal(tokenAccount('garbage'), null);
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
  assert.equal(d.reason_days, 90);
  assert.deepEqual(d.services.map((s) => s.id), ['facebook', 'instagram']);
  const { LANGUAGES } = await widgetModule('catalog.js');
  assert.deepEqual(d.languages, LANGUAGES);  // the intake names the widget's languages
  const checkpoint = await (await fetch(`${intake.url}/checkpoint`)).text();
  assert.equal(core.openCheckpoint(checkpoint, { log_key: d.log_key }).checkpoint.origin, d.origin);
  await assert.rejects(loadDiscovery(`${intake.url}/checkpoint`), (e) => e.code === 'bad_discovery');
});

test('without an account: a mailed code buys a token for the address, and the objection goes with it', async () => {
  const sink = new MailSink();
  await sink.start();
  const mail = new Intake((config) => { config.contact = sink.contact(); });
  await mail.start();
  try {
    let token = null;
    const c = new IntakeClient({ intake: mail.url, store: new MemoryStore(), token: () => token });
    await assert.rejects(c.requestCode('nobody', 'fr'), (e) => e instanceof IntakeError && e.status === 400 &&
      e.code === 'bad_email');
    const { expires } = await c.requestCode(' Zoe@Example.FR ', 'fr');
    assert.ok(expires > Date.now() / 1000 + 800);
    const [sent] = sink.mails();
    assert.equal(sent.to, 'Zoe@example.fr');
    assert.match(sent.subject, /^\d{6} est votre code pour social\.example\/ai-training$/);
    const code = sink.lastCode();
    await assert.rejects(c.exchangeCode('Zoe@example.fr', code === '123456' ? '654321' : '123456'),
      (e) => e.status === 401 && e.code === 'code_invalid');
    const answer = await c.exchangeCode('Zoe@example.fr', code);
    assert.equal(answer.account, 'email:Zoe@example.fr');
    assert.equal(tokenAccount(answer.token), 'email:Zoe@example.fr');
    await assert.rejects(c.exchangeCode('Zoe@example.fr', code), (e) => e.code === 'code_invalid');  // once
    token = answer.token;
    const item = signed('email:Zoe@example.fr', { base: mail.url });
    let accepted = null;
    const sender = new IntakeClient({ intake: mail.url, store: new MemoryStore(), token: () => token,
      on: { accepted: async (_, reply) => { accepted = reply; } } });
    await sender.submit(item);
    assert.equal(accepted?.leaf_hash, item.leaf_hash);
  } finally {
    await mail.stop();
    mail.remove();
    await sink.stop();
  }
});
