// The widget's protocol with the intake, free of the DOM so node can test it:
// sending a signed objection, keeping it when the intake cannot be reached,
// retrying with backoff, reading the log's public answers, and choosing the
// message a person sees for an answer. <objection-form> only wires it up.
import { clearPending, pendingFor, savePending } from './pending.js';

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

export class IntakeClient {
  #intake;
  #fetch;
  #timers;
  #onReply;
  #onQueued;
  #onError;
  #retryDelay = RETRY_FIRST_MS;
  #retryTimer = null;

  /**
   * intake: the intake's base URL ('' for the page's own origin).
   * onReply(item, reply): an objection the intake accepted, with its reply
   *   ({index, leaf_hash, proof}); call delivered(item) once the receipt is kept.
   * onQueued(item): it was kept on the device for a retry.
   * onError(item, error): a retry was refused (IntakeError) or failed.
   */
  constructor({ intake = '', fetch = globalThis.fetch?.bind(globalThis), timers = globalThis, onReply, onQueued, onError }) {
    this.#intake = intake.replace(/\/+$/, '');
    this.#fetch = fetch;
    this.#timers = timers;
    this.#onReply = onReply;
    this.#onQueued = onQueued ?? (() => {});
    this.#onError = onError ?? (() => {});
  }

  get intake() { return this.#intake; }

  // Posts a signed objection and hands the accepted reply to onReply. Keeps it
  // for a retry on network errors and 5xx; throws IntakeError on a refusal.
  async send(item) {
    let response;
    try {
      response = await this.#fetch(`${this.#intake}/v1/objections`, {
        method: 'POST', body: item.body, credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${item.token}` },
      });
    } catch {
      return this.#keep(item);
    }
    if (response.status >= 500) return this.#keep(item);
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) {
      clearPending(item.leaf_hash);
      throw new IntakeError(response.status, reply.error ?? 'unknown', reply.message ?? `HTTP ${response.status}`);
    }
    return this.#onReply(item, reply);
  }

  // The receipt for `item` is kept: forget the queued copy, reset the backoff.
  delivered(item) {
    clearPending(item.leaf_hash);
    this.#retryDelay = RETRY_FIRST_MS;
  }

  // Sends the oldest objection queued for this intake, if any.
  async retry() {
    const [item] = pendingFor(this.#intake);
    if (!item) return;
    this.#timers.clearTimeout(this.#retryTimer);
    try {
      await this.send(item);
    } catch (error) {
      this.#onError(item, error);
    }
  }

  hasPending() { return pendingFor(this.#intake).length > 0; }

  stop() { this.#timers.clearTimeout(this.#retryTimer); }

  // A public JSON document of the log (proofs, consistency).
  async getJson(path) {
    const r = await this.#fetch(`${this.#intake}${path}`, { credentials: 'omit' });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new IntakeError(r.status, body.error ?? 'unknown', body.message ?? `HTTP ${r.status}`);
    return body;
  }

  #keep(item) {
    savePending(item);
    this.#onQueued(item);
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#timers.setTimeout(() => this.retry(), this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
    return null;
  }
}
