// Receipts, free of the DOM so node can test them with the real core and a
// real intake: making, verifying and keeping the receipt of an accepted
// objection, and checking a receipt against the live log.
//
// The intake client (intake-client.js) deletes a pending objection only once
// keepAccepted() has resolved, so a confirmed objection always leaves its
// receipt on the device.
import { keepReceipt } from './kept-receipts.js';

function base64url(b64) {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The intake accepted `item` (a pending objection) with `reply` ({index,
// proof}): the receipt, verified here against `trust` when it can be, kept on
// the device whatever the verification says (a wrong or missing log key only
// means this page cannot check it). Resolves once it is kept.
export async function keepAccepted({ core, store, item, reply, trust, now = Date.now }) {
  const receipt = core.makeReceipt({ entry: item.entry, opening: item.opening, device_seed: item.device_seed,
    proof: reply.proof });
  let report = null;
  try {
    report = core.verifyReceipt(receipt, trust);
  } catch {
    // Logged but not checkable here: kept all the same.
  }
  const text = core.canonicalize(JSON.stringify(receipt));
  await keepReceipt(store, { leafHash: item.leaf_hash, account: item.account, intake: item.intake, text,
    verified: report != null, kept: now() });
  return { receipt, text, report, publicReceipt: core.publicReceipt(receipt) };
}

// Checks the receipt `text` offline (its signature, proof and checkpoint
// against `trust`), then against the live log through `client` (an
// IntakeClient): the entry is still at its index, and the log today extends
// the checkpoint in the receipt. Resolves to what a person is told:
// { index, created, services, public, size, latest }. Throws when a check
// fails, with `stage`: 'receipt' (the file itself: changed, or another log's),
// 'unreachable' (the log could not be asked) or 'log' (the log does not show
// a genuine receipt as it should: evidence).
export async function checkReceipt({ core, client, text, trust }) {
  let report;
  let statement;
  try {
    report = core.verifyReceipt(text, trust);
    statement = JSON.parse(text).entry.statement;
  } catch (error) {
    throw Object.assign(error, { stage: 'receipt' });
  }
  try {
    return await checkLive({ core, client, report, statement, trust });
  } catch (error) {
    const unreachable = error.name === 'IntakeError' && (error.status === 0 || error.status >= 500);
    throw Object.assign(error, { stage: unreachable ? 'unreachable' : 'log' });
  }
}

async function checkLive({ core, client, report, statement, trust }) {
  const proof = await client.getJson(`/v1/proof/${base64url(report.leaf_hash)}`);
  const fresh = core.verifyProof(proof.proof, report.leaf_hash, trust);
  if (fresh.index !== report.index) {
    throw Object.assign(new Error(`the log now shows entry ${fresh.index}, not ${report.index}`), { code: 'moved' });
  }
  const old = report.checkpoint;
  const c = await client.getJson(`/v1/consistency/${old.size}`);
  const latest = core.openCheckpoint(c.checkpoint, trust).checkpoint;
  core.verifyConsistency({ size1: old.size, size2: latest.size, proof: c.proof, root1: old.root, root2: latest.root });
  return { index: report.index, created: statement.created, services: statement.services, public: !!report.public,
    size: old.size, latest: latest.size };
}
