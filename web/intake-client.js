// The widget's protocol with the intake, free of the DOM so node can test it:
// sending signed objections (pending.js keeps them until the log confirms),
// retrying with backoff, reading the log's public answers, and choosing the
// message a person sees for an answer. <objection-form> only wires it up.
import { isExpired, outcome, requestBody, takeLegacyPending } from './pending.js';

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;

// An answer of the intake that is not a success: status, machine code
// (core/error_codes.hpp) and the intake's own message.
export class IntakeError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'IntakeError';
    this.status = status;
    this.code = code;
  }
}

// The catalog key for an error: its code's own message when the catalog has
// one, else the generic message with the error's text.
export function errorMessage(catalog, error) {
  const key = `error.${error?.code}`;
  if (error?.code && key in catalog) return { key, params: {} };
  return { key: 'error.generic', params: { message: error?.message ?? String(error) } };
}

// The discovery document of a log (GET /.well-known/objector, served by the
// intake): origin, log key, intake and widget URLs, languages, services with
// display names. One URL configures the widget instead of five attributes.
export const DISCOVERY_TYPE = 'objector-discovery/v1';
export async function loadDiscovery(url, fetch = globalThis.fetch?.bind(globalThis)) {
  const r = await fetch(String(url), { credentials: 'omit' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new IntakeError(r.status, body.error ?? 'unknown', body.message ?? `HTTP ${r.status}`);
  if (body.type !== DISCOVERY_TYPE || typeof body.origin !== 'string' || typeof body.log_key !== 'string' ||
      !Array.isArray(body.services)) {
    throw new IntakeError(0, 'bad_discovery', `${url} is not an Objector discovery document`);
  }
  return body;
}

// The account a token speaks for: its payload is signed, not secret
// (native/intake/account_token.hpp).
export function tokenAccount(token) {
  return tokenClaims(token)?.account ?? null;
}

// What a token says about itself: { account, exp } (exp in Unix seconds, or
// null); null when it is not a token. Read only to show the right screen: the
// intake checks the token's MAC.
export function tokenClaims(token) {
  try {
    const payload = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const { account, exp } = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof account !== 'string') return null;
    return { account, exp: Number.isSafeInteger(exp) ? exp : null };
  } catch {
    return null;
  }
}

function retryAfterMs(response) {
  const seconds = Number(response.headers?.get?.('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : 0;
}

export class IntakeClient {
  #intake;
  #store;
  #token;
  #fetch;
  #timers;
  #now;
  #on;
  #retryDelay = RETRY_FIRST_MS;
  #retryTimer = null;
  #nextRetry = null;  // when the scheduled retry runs, in Unix seconds
  #flushing = null;
  #again = false;

  /**
   * intake: the intake's base URL ('' for the page's own origin).
   * store: the device store (device-store.js); pending objections live there.
   * token(): the widget's current account token, or null.
   * on.accepted(item, reply): in the log; resolve once the receipt is kept
   *   (the pending copy is removed only then).
   * on.rejected(item, error): refused for good (IntakeError); removed.
   * on.expired(item): too old for the intake to accept; removed.
   * on.waiting(items, why): kept; why is 'offline' (retried) or 'signin'
   *   (sent when a token for their account arrives).
   */
  constructor({ intake = '', store, token, fetch = globalThis.fetch?.bind(globalThis), timers = globalThis,
    now = () => Math.floor(Date.now() / 1000), on = {} }) {
    this.#intake = intake.replace(/\/+$/, '');
    this.#store = store;
    this.#token = token;
    this.#fetch = fetch;
    this.#timers = timers;
    this.#now = now;
    this.#on = { accepted: async () => {}, rejected: () => {}, expired: () => {}, waiting: () => {}, ...on };
  }

  get intake() { return this.#intake; }
  // When the next automatic try is due (Unix seconds), or null when none is.
  get nextRetry() { return this.#nextRetry; }

  // Keeps a signed objection on the device first (so closing the page loses
  // nothing), then sends everything pending for its account.
  async submit(item) {
    await this.#store.put('pending', item);
    return this.flush();
  }

  // The pending objections of an account at this intake.
  async pending(account) {
    const all = await this.#store.all('pending');
    return all.filter((p) => p.intake === this.#intake && p.account === account)
      .sort((a, b) => a.created - b.created);
  }

  // Whether anything waits at this intake for any account (nothing else about
  // it is told: another person may share the device).
  async anyPending() {
    return (await this.#store.all('pending')).some((p) => p.intake === this.#intake);
  }

  // Sends every pending objection of the current token's account, oldest
  // first; drops the expired ones of every account. Concurrent calls share
  // one run (and ask for one more when something changed meanwhile).
  flush() {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      try {
        do {
          this.#again = false;
          await this.#flushOnce();
        } while (this.#again);
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  // Moves pending objections of an earlier release into the store.
  async adoptLegacy(storage) {
    for (const item of takeLegacyPending(storage)) await this.#store.put('pending', item);
  }

  stop() {
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#nextRetry = null;
  }

  // The signed-in account's own logged objections, as the log knows them
  // (GET /v1/objections): [{ index, created, services, leaf_hash }]; null
  // without a token.
  async objections() {
    const token = this.#token();
    if (!token) return null;
    let r;
    try {
      r = await this.#fetch(`${this.#intake}/v1/objections`, { credentials: 'omit',
        headers: { Authorization: `Bearer ${token}` } });
    } catch {
      throw new IntakeError(0, 'offline', 'no connection');
    }
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new IntakeError(r.status, body.error ?? 'unknown', body.message ?? `HTTP ${r.status}`);
    return Array.isArray(body.objections) ? body.objections : [];
  }

  // Objecting without an account: a code mailed to `email` (POST
  // /v1/contact/code) -> { expires }; then the code -> { token, account }.
  // The token never leaves the widget.
  requestCode(email, lang) { return this.#postJson('/v1/contact/code', { email, lang }); }
  exchangeCode(email, code) { return this.#postJson('/v1/contact/token', { email, code }); }

  async #postJson(path, body) {
    let r;
    try {
      r = await this.#fetch(`${this.#intake}${path}`, { method: 'POST', credentials: 'omit',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch {
      throw new IntakeError(0, 'offline', 'no connection');
    }
    const reply = await r.json().catch(() => ({}));
    if (!r.ok) throw new IntakeError(r.status, reply.error ?? 'unknown', reply.message ?? `HTTP ${r.status}`);
    return reply;
  }

  // A public JSON document of the log (proofs, consistency).
  async getJson(path) {
    let r;
    try {
      r = await this.#fetch(`${this.#intake}${path}`, { credentials: 'omit' });
    } catch {
      throw new IntakeError(0, 'offline', 'no connection');
    }
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new IntakeError(r.status, body.error ?? 'unknown', body.message ?? `HTTP ${r.status}`);
    return body;
  }

  async #flushOnce() {
    this.stop();
    const now = this.#now();
    for (const item of await this.#store.all('pending')) {
      if (item.intake !== this.#intake || !isExpired(item, now)) continue;
      await this.#store.delete('pending', item.leaf_hash);
      this.#on.expired(item);
    }
    const token = this.#token();
    const account = token ? tokenAccount(token) : null;
    if (!account) return;
    const items = await this.pending(account);
    for (const [i, item] of items.entries()) {
      const answer = await this.#post(item, token);
      const rest = items.slice(i);
      if (answer.kind === 'accepted') {
        await this.#on.accepted(item, answer.reply);
        await this.#store.delete('pending', item.leaf_hash);
        this.#retryDelay = RETRY_FIRST_MS;
      } else if (answer.kind === 'rejected') {
        await this.#store.delete('pending', item.leaf_hash);
        this.#on.rejected(item, answer.error);
      } else if (answer.kind === 'signin') {
        return this.#on.waiting(rest, 'signin', answer.error);
      } else {
        this.#schedule(answer.delayMs);
        return this.#on.waiting(rest, 'offline', answer.error);
      }
    }
  }

  async #post(item, token) {
    let response;
    try {
      response = await this.#fetch(`${this.#intake}/v1/objections`, {
        method: 'POST', body: requestBody(item), credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      });
    } catch {
      return { kind: 'wait', delayMs: 0, error: new IntakeError(0, 'offline', 'no connection') };
    }
    const reply = await response.json().catch(() => ({}));
    const kind = outcome(response.status, reply.error);
    if (kind === 'accepted') return { kind, reply };
    const error = new IntakeError(response.status, reply.error ?? 'unknown', reply.message ?? `HTTP ${response.status}`);
    return { kind, error, delayMs: retryAfterMs(response) };
  }

  #schedule(delayMs) {
    const delay = Math.max(delayMs, this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
    this.#retryTimer = this.#timers.setTimeout(() => this.flush(), delay);
    this.#nextRetry = this.#now() + Math.ceil(delay / 1000);
  }
}
