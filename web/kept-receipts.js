// Receipts kept on the person's device (device-store.js "receipts") until
// they remove them: every receipt the intake confirmed, whether or not this
// page could verify it, so a confirmed objection always leaves its proof.
export async function keepReceipt(store, { leafHash, account, intake, text, verified, kept }) {
  await store.put('receipts', { leaf_hash: leafHash, account, intake, text, verified, kept });
}

// The receipts of one account, newest first: a device shared by several
// accounts shows each only its own.
export async function keptReceipts(store, account) {
  if (!account) return [];
  return (await store.all('receipts')).filter((r) => r.account === account).sort((a, b) => b.kept - a.kept);
}

export function removeReceipt(store, leafHash) {
  return store.delete('receipts', leafHash);
}
