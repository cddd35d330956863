// The rules for signed objections waiting to reach the log, free of the DOM
// and of the network so node can test them with a fake clock.
//
// A pending objection is kept per intake and per account (the opening's), with
// only what a retry needs: the entry, the opening, the device seed (to make the
// receipt) and the optional reason. Never the bearer token: a retry uses the
// widget's current token, and only for the same account.

import { MAX_STATEMENT_AGE_S } from './constants.js';

// The intake accepts a statement up to 30 days after it was signed (core's
// kMaxStatementAgeSeconds); an hour's margin keeps one from expiring in flight.
export const MAX_AGE_S = MAX_STATEMENT_AGE_S;
const MARGIN_S = 3600;

export function pendingItem(objection, { intake, account, reason }) {
  const item = {
    leaf_hash: objection.leaf_hash, intake, account, created: objection.entry.statement.created,
    entry: objection.entry, opening: objection.opening, device_seed: objection.device_seed,
  };
  if (reason) item.reason = reason;
  return item;
}

export function requestBody(item) {
  const body = { entry: item.entry, opening: item.opening };
  if (item.reason) body.reason = item.reason;
  return JSON.stringify(body);
}

export function isExpired(item, nowSeconds) {
  return item.created + MAX_AGE_S - MARGIN_S < nowSeconds;
}

// What an answer of the intake means for a pending objection:
//   accepted  in the log (200 already, 201 now)
//   rejected  a definitive answer about the objection itself (400: the
//             statement or the reason; 409: its device key signed another;
//             413: too large): it can never be accepted, so it is removed
//   signin    401, or 403 account_mismatch: kept until the person signs in
//             again as the account it is for
//   wait      408, 429, 5xx, no connection, and anything unexpected: kept and
//             retried with backoff (429 and 503 say when in Retry-After)
export function outcome(status, code) {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401 || (status === 403 && code === 'account_mismatch')) return 'signin';
  if (status === 400 || status === 409 || status === 413) return 'rejected';
  return 'wait';
}

// Pending objections of an earlier release (localStorage, with the token):
// converted without token or e-mail address, and the old key removed.
const LEGACY_KEY = 'objector.pending.v1';
export function takeLegacyPending(storage = globalThis.localStorage) {
  let items = [];
  try {
    items = JSON.parse(storage?.getItem(LEGACY_KEY) ?? '[]');
    storage?.removeItem(LEGACY_KEY);
  } catch {
    return [];
  }
  return items.filter((p) => p?.objection?.entry && p.objection.opening).map((p) => {
    let reason;
    try { reason = JSON.parse(p.body).reason; } catch { /* none */ }
    return pendingItem({ leaf_hash: p.leaf_hash, ...p.objection },
      { intake: p.intake, account: p.objection.opening.account, reason });
  });
}
