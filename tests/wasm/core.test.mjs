// The wasm build under node: every vector of tests/vectors/core.json gives the
// same bytes as the native build, the JCS and Merkle reference corpora pass,
// and signatures and hashes agree with node's own crypto (an independent
// implementation).
//   node --test tests/wasm/   (with OBJECTOR_WASM_DIR=build/wasm)
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const wasmDir = resolve(process.env.OBJECTOR_WASM_DIR ?? join(root, 'build/wasm'));
const externalVectors = join(root, 'tests/vectors');

const { loadCore, CoreError } = await import(pathToFileURL(join(wasmDir, 'objector-core.mjs')));
const core = await loadCore({ wasmBinary: readFileSync(join(wasmDir, 'objector-core.wasm')) });
const vectors = JSON.parse(readFileSync(join(root, 'tests/vectors/core.json'), 'utf8'));

function filesUnder(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.json') ? [path] : [];
  });
}

function callRaw(op, args) {
  try {
    return { ok: true, output: core.callRaw(op, JSON.stringify(args)) };
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    return { ok: false, output: JSON.stringify({ error: error.code, message: error.message }) };
  }
}

test('every core vector gives the native bytes', () => {
  assert.ok(vectors.cases.length >= 30);
  for (const c of vectors.cases) {
    const got = callRaw(c.op, c.args);
    assert.equal(got.ok, c.ok, c.name);
    // Error bodies are JCS too, and JSON.stringify of {error, message} is JCS for ASCII keys.
    assert.equal(got.output, c.output, c.name);
  }
});

test('RFC 8785 reference vectors canonicalize byte for byte', () => {
  const dir = join(externalVectors, 'jcs/testdata');
  const inputs = readdirSync(join(dir, 'input')).sort();
  assert.equal(inputs.length, 6);
  for (const name of inputs) {
    const got = core.canonicalize(readFileSync(join(dir, 'input', name), 'utf8'));
    assert.equal(got, readFileSync(join(dir, 'output', name), 'utf8'), name);
  }
});

test('transparency-dev inclusion corpus', () => {
  const files = filesUnder(join(externalVectors, 'transparency-dev-merkle/testdata/inclusion'));
  assert.ok(files.length > 50);
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8'));
    const args = { index: v.leafIdx, size: v.treeSize, leaf_hash: v.leafHash, proof: v.proof ?? [], root: v.root };
    assert.equal(callRaw('verify_inclusion', args).ok, !v.wantErr, f);
  }
});

test('transparency-dev consistency corpus', () => {
  const files = filesUnder(join(externalVectors, 'transparency-dev-merkle/testdata/consistency'));
  assert.ok(files.length > 50);
  for (const f of files) {
    const v = JSON.parse(readFileSync(f, 'utf8'));
    const args = { size1: v.size1, size2: v.size2, proof: v.proof ?? [], root1: v.root1, root2: v.root2 };
    assert.equal(callRaw('verify_consistency', args).ok, !v.wantErr, f);
  }
});

function ed25519Key(publicKeyBase64) {
  // SubjectPublicKeyInfo for Ed25519: fixed 12-byte prefix, then the key.
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyBase64, 'base64')]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

test('signatures and leaf hashes agree with node:crypto', () => {
  const objections = vectors.cases.filter((c) => c.op === 'make_objection' && c.ok).map((c) => JSON.parse(c.output));
  assert.equal(objections.length, 8);
  for (const o of objections) {
    const statementBytes = core.canonicalize(JSON.stringify(o.entry.statement));
    assert.ok(verify(null, Buffer.from(statementBytes), ed25519Key(o.entry.statement.device_key), Buffer.from(o.entry.sig, 'base64')));
    const leaf = createHash('sha256').update(Buffer.from([0])).update(o.entry_bytes).digest('base64');
    assert.equal(o.leaf_hash, leaf);
    assert.equal(o.entry_bytes, core.canonicalize(JSON.stringify(o.entry)));
  }
});

test('authorship proofs: made and checked in wasm, the signature checked by node:crypto', () => {
  const made = (name) => JSON.parse(vectors.cases.find((c) => c.name === name).output);
  const receipt = made('make_receipt');
  const publicReceipt = core.publicReceipt(receipt);
  assert.deepEqual(Object.keys(publicReceipt).sort(), ['entry', 'proof', 'type']);
  const challenge = `nonce ${Date.now()}`;
  const proof = core.proveAuthorship(receipt, challenge);
  const message = `objection-authorship/v1\n${proof.leaf_hash}\n${challenge}`;
  assert.ok(verify(null, Buffer.from(message), ed25519Key(receipt.entry.statement.device_key), Buffer.from(proof.sig, 'base64')));
  const log = vectors.cases.find((c) => c.name === 'verify_receipt').args.log_key;
  const report = core.verifyAuthorship(proof, publicReceipt, challenge, { log_key: log });
  assert.equal(report.index, 2);
  assert.equal(core.verifyReceipt(publicReceipt, { log_key: log }).public, true);
  // Forged: the statement's own signature, or a proof for another challenge.
  assert.throws(() => core.verifyAuthorship({ ...proof, sig: receipt.entry.sig }, publicReceipt, challenge, { log_key: log }),
    (e) => e.code === 'bad_signature');
  assert.throws(() => core.verifyAuthorship(proof, publicReceipt, 'another', { log_key: log }),
    (e) => e.code === 'challenge_mismatch');
});

test('RFC 8032 test 1 key', () => {
  const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex').toString('base64');
  assert.equal(Buffer.from(core.keygen(seed).public_key, 'base64').toString('hex'),
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
});

test('fresh objections use fresh keys and blinding values', () => {
  const form = { controller: 'social.example/ai-training', jurisdiction: 'GB', services: ['facebook'],
    purposes: ['train-genai'], lang: 'en-GB', created: 1764131712, account: 'user:1' };
  const a = core.makeObjection(form);
  const b = core.makeObjection(form);
  assert.notEqual(a.device_seed, b.device_seed);
  assert.notEqual(a.opening.r, b.opening.r);
  assert.notEqual(a.entry.statement.subject, b.entry.statement.subject);
  assert.deepEqual(core.verifyEntry(a.entry).leaf_hash, a.leaf_hash);
});

test('errors surface as CoreError with code and message', () => {
  assert.throws(() => core.makeObjection({}), (e) => e instanceof CoreError && e.code === 'missing_field' &&
    e.message === 'args.controller: required field is missing');
  assert.throws(() => core.callRaw('make_objection', '{"a":1,"a":2}'), (e) => e.code === 'bad_json');
  assert.throws(() => core.call('no_such_op'), (e) => e.code === 'unknown_operation');
});

test('large inputs grow memory without breaking later calls', () => {
  const big = JSON.stringify({ list: Array.from({ length: 20000 }, (_, i) => `item ${i}`) });
  assert.equal(core.canonicalize(big).length, big.length);
  assert.equal(core.version(), '0.1.0');
});

test('a disposed core refuses calls', async () => {
  const other = await loadCore({ wasmBinary: readFileSync(join(wasmDir, 'objector-core.wasm')) });
  other.dispose();
  assert.throws(() => other.version(), (e) => e.code === 'disposed');
});

test('a wasm file that cannot be fetched rejects loadCore instead of hanging', async () => {
  await assert.rejects(loadCore({ wasmUrl: 'http://127.0.0.1:9/objector-core.wasm' }));
});
