// Signed objections that could not be sent yet (offline, 5xx), kept in
// localStorage until the intake confirms them. The intake is idempotent, so
// sending one twice still makes one log entry. A pending item holds the device
// seed and opening, which otherwise live only in the receipt: it is removed
// as soon as the receipt exists.
const KEY = 'objector.pending.v1';

function read() {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '[]');
  } catch {
    return [];
  }
}

function write(items) {
  if (items.length) globalThis.localStorage?.setItem(KEY, JSON.stringify(items));
  else globalThis.localStorage?.removeItem(KEY);
}

export function pendingFor(intake) {
  return read().filter((p) => p.intake === intake);
}

export function savePending(item) {
  write([...read().filter((p) => p.leaf_hash !== item.leaf_hash), item]);
}

export function clearPending(leafHash) {
  write(read().filter((p) => p.leaf_hash !== leafHash));
}
