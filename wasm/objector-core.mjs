// The typed JavaScript API of Objector's wasm core.
//
//   import { loadCore } from './objector-core.mjs';
//   const core = await loadCore({ wasmUrl: '/objector/objector-core.wasm' });
//   const objection = core.makeObjection({ controller, jurisdiction, services, purposes, lang, created, account });
//   core.dispose();
//
// Every method runs in wasm and returns plain JSON values; a failure throws
// CoreError with a stable `code` and a human-readable `message`.
import createObjectorCore from './objector-core.js';

export class CoreError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The browser's CSPRNG, for libsodium's randombytes inside wasm.
function getRandomValue() {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0] >>> 0;
}

async function fetchWasm(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new CoreError('wasm_unavailable', `cannot load ${url}: HTTP ${response.status}`);
  return response;
}

/**
 * Loads and initialises a core instance.
 * @param {{wasmUrl?: string|URL, wasmBinary?: ArrayBuffer|Uint8Array}} [options]
 *   wasmUrl: where objector-core.wasm is served (default: beside this module);
 *   wasmBinary: the module's bytes, when the host already has them (node, tests).
 */
export async function loadCore(options = {}) {
  const wasmUrl = options.wasmUrl ?? new URL('./objector-core.wasm', import.meta.url);
  // A failed fetch must reject loadCore() instead of leaving it pending.
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const moduleArgs = { getRandomValue };
  if (options.wasmBinary) {
    moduleArgs.wasmBinary = options.wasmBinary;
  } else {
    // Instantiate here: streaming compile, from wherever the host serves the wasm.
    moduleArgs.instantiateWasm = (imports, receive) => {
      fetchWasm(wasmUrl)
        .then((response) =>
          WebAssembly.instantiateStreaming
            ? WebAssembly.instantiateStreaming(response, imports)
            : response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)),
        )
        .then((result) => receive(result.instance))
        .catch(fail);
      return {};
    };
  }
  const module = await Promise.race([createObjectorCore(moduleArgs), failed]);
  if (module._objector_init() !== 0) throw new CoreError('init_failed', 'libsodium failed to initialise');
  return new Core(module);
}

export class Core {
  #module;

  constructor(module) {
    this.#module = module;
  }

  /** Runs a core operation (see core/api.hpp); returns the parsed result. */
  call(op, args = {}) {
    const text = this.callRaw(op, JSON.stringify(args));
    return JSON.parse(text);
  }

  /** Runs an operation on raw JSON text and returns the raw JSON (JCS) text. */
  callRaw(op, argsText) {
    const m = this.#module;
    if (!m) throw new CoreError('disposed', 'this core instance was disposed');
    const opBytes = encoder.encode(op);
    const argBytes = encoder.encode(argsText);
    const opPtr = m._objector_alloc(opBytes.length);
    const argPtr = m._objector_alloc(argBytes.length);
    let out = 0;
    let outLen = 0;
    try {
      if (!opPtr || !argPtr) throw new CoreError('out_of_memory', 'wasm core is out of memory');
      m.HEAPU8.set(opBytes, opPtr);
      m.HEAPU8.set(argBytes, argPtr);
      argBytes.fill(0);
      out = m._objector_call(opPtr, opBytes.length, argPtr, argBytes.length);
      if (!out) throw new CoreError('out_of_memory', 'wasm core is out of memory');
      const heap = m.HEAPU8;  // read after the call: memory may have grown
      const view = new DataView(heap.buffer, out, 5);
      outLen = view.getUint32(0, true);
      const ok = view.getUint8(4) === 1;
      const body = decoder.decode(heap.subarray(out + 5, out + 5 + outLen));
      if (!ok) {
        const error = JSON.parse(body);
        throw new CoreError(error.error, error.message);
      }
      return body;
    } finally {
      m._objector_free(opPtr, opBytes.length);
      m._objector_free(argPtr, argBytes.length);
      if (out) m._objector_free(out, 5 + outLen);
    }
  }

  version() { return this.call('version').version; }
  jurisdictions() { return this.call('jurisdictions').jurisdictions; }
  constants() { return this.call('constants'); }
  canonicalize(jsonText) { return this.callRaw('canonicalize', jsonText); }
  keygen(seed) { return this.call('keygen', seed ? { seed } : {}); }
  commit(account, r) { return this.call('commit', r ? { account, r } : { account }); }
  makeObjection(form) { return this.call('make_objection', form); }
  signStatement(statement, deviceSeed) { return this.call('sign_statement', { statement, device_seed: deviceSeed }); }
  verifyEntry(entry) { return this.call('verify_entry', { entry }); }
  makeReceipt({ entry, opening, device_seed, proof }) {
    return this.call('make_receipt', { entry, opening, device_seed, proof });
  }
  verifyReceipt(receipt, trust) { return this.call('verify_receipt', { receipt, ...trust }); }
  publicReceipt(receipt) { return this.call('public_receipt', { receipt }); }
  proveAuthorship(receipt, challenge) { return this.call('prove_authorship', { receipt, challenge }); }
  verifyAuthorship(proof, receipt, challenge, trust) {
    return this.call('verify_authorship', { proof, receipt, challenge, ...trust });
  }
  verifyProof(proof, leafHash, trust) { return this.call('verify_proof', { proof, leaf_hash: leafHash, ...trust }); }
  verifyInclusion(args) { return this.call('verify_inclusion', args); }
  verifyConsistency(args) { return this.call('verify_consistency', args); }
  verifyNote(note, keys) { return this.call('verify_note', { note, keys }); }
  openCheckpoint(note, trust) { return this.call('open_checkpoint', { note, ...trust }); }

  /** Releases the wasm instance; the object cannot be used afterwards. */
  dispose() {
    this.#module = null;
  }
}
