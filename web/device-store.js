// What the widget keeps on the person's device, in one IndexedDB database
// ("objector"):
//   presses   a press of "Object" made before the core could sign it (the
//             choices and the time, keyed by a random id): signed and moved
//             to pending as soon as the core loads, on this page or the next
//   pending   signed objections the log has not confirmed yet (removed once a
//             receipt exists, or when the intake refuses or they expire)
//   receipts  receipts, until the person removes them
// pending and receipts are keyed by their entry's leaf hash.
// Where IndexedDB is unavailable (some in-app webviews, private windows) the
// same interface keeps them in memory for the life of the page.
const DATABASE = 'objector';
const VERSION = 2;
const KEYS = { presses: 'id', pending: 'leaf_hash', receipts: 'leaf_hash' };
export const STORES = Object.keys(KEYS);

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

class IndexedDbStore {
  #db;
  constructor(db) { this.#db = db; }
  #store(name, mode) { return this.#db.transaction(name, mode).objectStore(name); }
  get(name, key) { return done(this.#store(name, 'readonly').get(key)); }
  all(name) { return done(this.#store(name, 'readonly').getAll()); }
  // Resolves once the write is durable (the transaction completed).
  #write(name, act) {
    const tx = this.#db.transaction(name, 'readwrite');
    act(tx.objectStore(name));
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }
  put(name, record) { return this.#write(name, (s) => s.put(record)); }
  delete(name, key) { return this.#write(name, (s) => s.delete(key)); }
  // Deletes `key` from one store and puts `record` in another, atomically.
  move(from, key, to, record) {
    const tx = this.#db.transaction([from, to], 'readwrite');
    tx.objectStore(from).delete(key);
    tx.objectStore(to).put(record);
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }
  close() { this.#db.close(); }
}

export class MemoryStore {
  #maps = new Map(STORES.map((s) => [s, new Map()]));
  async get(name, key) { return structuredClone(this.#maps.get(name).get(key)); }
  async all(name) { return [...this.#maps.get(name).values()].map((r) => structuredClone(r)); }
  async put(name, record) { this.#maps.get(name).set(record[KEYS[name]], structuredClone(record)); }
  async delete(name, key) { this.#maps.get(name).delete(key); }
  async move(from, key, to, record) {
    this.#maps.get(from).delete(key);
    await this.put(to, record);
  }
  close() {}
}

export async function openDeviceStore(indexedDB = globalThis.indexedDB) {
  if (!indexedDB) return new MemoryStore();
  try {
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      for (const name of STORES) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, { keyPath: KEYS[name] });
      }
    };
    return new IndexedDbStore(await done(request));
  } catch {
    return new MemoryStore();
  }
}
