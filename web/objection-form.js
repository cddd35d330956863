// <objection-form>: the objection flow for web pages and app webviews.
//
//   <objection-form controller="social.example/ai-training" log-key="social.example/ai-training+…"
//                   services="facebook,instagram" jurisdiction="GB" lang="en-GB"></objection-form>
//   form.accountToken = tokenFromYourBackend;
//
// All signing, hashing and verification runs in the wasm core. The element
// talks to nothing but its own files and the configured intake.
import { loadCore } from './objector-core.mjs';
import { format, loadCatalog, negotiate } from './catalog.js';
import { deliver } from './delivery.js';
import { errorMessage, IntakeClient, loadDiscovery } from './intake-client.js';

const moduleBase = new URL('./', import.meta.url);

// A small element builder: h('p', { class: 'x' }, 'text', child).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}

function base64url(b64) {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The account a token speaks for (its payload is not secret, only signed).
function tokenAccount(token) {
  try {
    const payload = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)).account ?? null;
  } catch {
    return null;
  }
}

// A receipt the page could not verify after the intake accepted it.
class ReceiptError extends Error {
  constructor() {
    super('receipt');
    this.code = 'receipt';
  }
}

export class ObjectionForm extends HTMLElement {
  static observedAttributes = ['lang', 'jurisdiction', 'services', 'controller', 'mode', 'account-token'];

  #root;
  #core = null;
  #t = null;  // the active catalog
  #lang = 'en-GB';
  #token = null;
  #jurisdictions = [];
  #client = null;
  #discovered = null;  // the discovery document, when the host gave `discovery`
  #connected = false;
  #onOnline = () => this.#client?.retry();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  get accountToken() { return this.#token ?? this.getAttribute('account-token'); }
  set accountToken(value) { this.#token = value; }

  async connectedCallback() {
    this.#connected = true;
    const sheet = h('link', { rel: 'stylesheet', href: new URL('objection-form.css', moduleBase).href });
    this.#root.replaceChildren(sheet, h('div', { class: 'objector', part: 'container' }));
    try {
      const wasmUrl = this.getAttribute('wasm-url') ?? new URL('objector-core.wasm', moduleBase);
      const core = await loadCore({ wasmUrl });
      if (!this.#connected) return core.dispose();
      this.#core = core;
      this.#jurisdictions = core.jurisdictions();
      if (this.hasAttribute('discovery')) {
        this.#discovered = await loadDiscovery(new URL(this.getAttribute('discovery'), globalThis.location?.href));
      }
      this.#client = new IntakeClient({
        intake: this.#intakeUrl,
        onReply: (item, reply) => this.#accepted(item, reply),
        onQueued: () => this.#status(this.#text('pending')),
        onError: (item, error) => this.#status(this.#errorText(error), 'alert'),
      });
      await this.#setLanguage();
      this.#render();
      globalThis.addEventListener('online', this.#onOnline);
      if (this.#client.hasPending()) this.#status(this.#text('pending'));
      this.#client.retry();
    } catch (error) {
      this.#container().replaceChildren(h('p', { role: 'alert' }, String(error.message ?? error)));
    }
  }

  disconnectedCallback() {
    this.#connected = false;
    globalThis.removeEventListener('online', this.#onOnline);
    this.#client?.stop();
    this.#client = null;
    this.#core?.dispose();
    this.#core = null;
  }

  async attributeChangedCallback(name, oldValue, value) {
    if (!this.#core || oldValue === value || name === 'account-token') return;
    if (name === 'lang') await this.#setLanguage();
    this.#render();
  }

  // --- configuration ---
  // Attributes win; the discovery document fills in what they leave out.
  get #controller() { return this.getAttribute('controller') ?? this.#discovered?.origin ?? ''; }
  get #intakeUrl() {
    if (this.hasAttribute('intake') || !this.#discovered) return this.getAttribute('intake') ?? '';
    return this.#discovered.intake_url || new URL(this.getAttribute('discovery'), globalThis.location?.href).origin;
  }
  #serviceName(id) { return this.#discovered?.services.find((s) => s.id === id)?.name ?? id; }
  get #services() {
    const given = this.getAttribute('services') ?? this.#discovered?.services.map((s) => s.id).join(',');
    return (given ?? 'facebook,instagram').split(',').map((s) => s.trim()).filter(Boolean);
  }
  get #purposes() { return (this.getAttribute('purposes') ?? 'train-ai,train-genai').split(',').map((s) => s.trim()).filter(Boolean); }
  get #logKey() { return this.getAttribute('log-key') ?? this.#discovered?.log_key ?? ''; }

  async #setLanguage() {
    this.#lang = negotiate(this.getAttribute('lang'));
    this.#t = await loadCatalog(this.#lang, moduleBase);
  }

  #text(key, params) { return format(this.#t[key] ?? key, params); }
  #errorText(error) {
    const { key, params } = errorMessage(this.#t, error);
    return this.#text(key, params);
  }
  #container() { return this.#root.querySelector('.objector'); }

  #render() {
    if (this.getAttribute('mode') === 'check') return this.#renderCheck();
    return this.#renderForm();
  }

  #show(section) {
    this.#container().replaceChildren(section);
    section.querySelector('h2')?.focus();
  }

  #status(message, kind = 'status') {
    const live = this.#container().querySelector(kind === 'alert' ? '.alert' : '.status');
    if (live) live.textContent = message;
  }

  // --- objecting ---
  #renderForm() {
    const basisFor = (code) => this.#jurisdictions.find((j) => j.code === code)?.basis;
    const fixed = this.getAttribute('jurisdiction');
    const basisLine = h('p', { class: 'basis' });
    const updateBasis = (code) => {
      const basis = basisFor(code);
      basisLine.textContent = basis ? this.#text('basis', { basis: this.#text(`basis.${basis}`) }) : '';
    };
    const names = new Intl.DisplayNames([this.#lang], { type: 'region' });
    const countries = this.#jurisdictions.map((j) => ({ code: j.code, name: names.of(j.code) }))
      .sort((a, b) => a.name.localeCompare(b.name, this.#lang));
    const country = fixed ? null : h('select', { id: 'country', name: 'country', required: true,
      onchange: (e) => updateBasis(e.target.value) },
    h('option', { value: '' }, this.#text('choose_country')),
    countries.map((c) => h('option', { value: c.code }, c.name)));
    updateBasis(fixed);

    const form = h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); this.#submit(form); } },
      h('fieldset', {},
        h('legend', {}, this.#text('services')),
        this.#services.map((s) => h('label', { class: 'choice' },
          h('input', { type: 'checkbox', name: 'service', value: s, checked: true }), ` ${this.#serviceName(s)}`))),
      country && h('div', { class: 'field' }, h('label', { for: 'country' }, this.#text('country')), country),
      basisLine,
      h('div', { class: 'field' }, h('label', { for: 'email' }, this.#text('email')),
        h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'email', maxlength: 254 })),
      h('div', { class: 'field' }, h('label', { for: 'reason' }, this.#text('reason')),
        h('textarea', { id: 'reason', name: 'reason', rows: 3, maxlength: 2000 })),
      h('p', { class: 'alert', role: 'alert' }),
      h('button', { type: 'submit', class: 'primary' }, this.#text('submit')));
    this.#show(h('section', { 'aria-labelledby': 'title' },
      h('h2', { id: 'title', tabindex: -1 }, this.#text('title')),
      h('p', {}, this.#text('explain', { controller: this.#controller })),
      form,
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  async #submit(form) {
    this.#status('', 'alert');
    const services = [...form.querySelectorAll('input[name=service]:checked')].map((i) => i.value);
    const jurisdiction = this.getAttribute('jurisdiction') ?? form.querySelector('#country')?.value;
    if (!services.length) return this.#status(this.#text('error.no_services'), 'alert');
    if (!jurisdiction) return this.#status(this.#text('error.no_country'), 'alert');
    const token = this.accountToken;
    const account = token && tokenAccount(token);
    if (!account) return this.#status(this.#text('error.token_missing'), 'alert');
    const button = form.querySelector('button');
    button.disabled = true;
    this.#status(this.#text('working'));
    try {
      const objection = this.#core.makeObjection({
        controller: this.#controller, jurisdiction, services, purposes: this.#purposes, lang: this.#lang,
        created: Math.floor(Date.now() / 1000), account,
      });
      const body = { entry: objection.entry, opening: objection.opening };
      const contact = form.querySelector('#email').value.trim();
      const reason = form.querySelector('#reason').value.trim();
      if (contact) body.contact = contact;
      if (reason) body.reason = reason;
      const item = { intake: this.#client.intake, leaf_hash: objection.leaf_hash, token, body: JSON.stringify(body),
        objection: { entry: objection.entry, opening: objection.opening, device_seed: objection.device_seed } };
      await this.#client.send(item);
    } catch (error) {
      this.#status(this.#errorText(error), 'alert');
    } finally {
      button.disabled = false;
    }
  }

  // The intake accepted the objection: make the receipt, verify it here, show it.
  #accepted(item, reply) {
    const receipt = this.#core.makeReceipt({ ...item.objection, proof: reply.proof });
    let report;
    try {
      report = this.#core.verifyReceipt(receipt, { log_key: this.#logKey });
    } catch {
      throw new ReceiptError();
    }
    this.#client.delivered(item);
    this.#renderDone(receipt, report);
    deliver(this, receipt, this.getAttribute('frame-origin'));
  }

  #renderDone(receipt, report) {
    const created = new Date(receipt.entry.statement.created * 1000);
    const date = new Intl.DateTimeFormat(this.#lang, { dateStyle: 'long', timeStyle: 'short' }).format(created);
    const file = `objection-receipt-${created.toISOString().slice(0, 10)}.json`;
    const text = this.#core.canonicalize(JSON.stringify(receipt));
    const href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const command = `objector-verify receipt --log-key ${this.#logKey} ${file}`;
    const services = new Intl.ListFormat(this.#lang, { type: 'conjunction' }).format(receipt.entry.statement.services);
    this.#show(h('section', { 'aria-labelledby': 'done', class: 'done' },
      h('h2', { id: 'done', tabindex: -1 }, this.#text('done_title')),
      h('p', {}, this.#text('done_text', { index: report.index, controller: report.checkpoint.origin, date })),
      h('p', {}, this.#text('objected_to', { services })),
      h('p', { class: 'actions' },
        h('a', { href, download: file, class: 'button primary' }, this.#text('download')),
        h('button', { type: 'button', onclick: () => globalThis.print() }, this.#text('print'))),
      h('p', { class: 'verify' }, this.#text('how_to_verify', { command: '' }), h('code', {}, command)),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // --- checking a kept receipt ---
  #renderCheck() {
    const input = h('input', { id: 'receipt-file', type: 'file', accept: '.json,application/json' });
    const form = h('form', { onsubmit: (e) => { e.preventDefault(); this.#check(input.files[0]); } },
      h('div', { class: 'field' }, h('label', { for: 'receipt-file' }, this.#text('check_file')), input),
      h('button', { type: 'submit', class: 'primary' }, this.#text('check_button')));
    this.#show(h('section', { 'aria-labelledby': 'check' },
      h('h2', { id: 'check', tabindex: -1 }, this.#text('check_title')),
      form,
      h('p', { class: 'alert', role: 'alert' }),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  async #check(file) {
    this.#status('', 'alert');
    this.#status('');
    if (!file) return;
    try {
      const text = await file.text();
      const trust = { log_key: this.#logKey };
      const report = this.#core.verifyReceipt(text, trust);
      const receipt = JSON.parse(text);
      const proof = await this.#client.getJson(`/v1/proof/${base64url(report.leaf_hash)}`);
      const fresh = this.#core.verifyProof(proof.proof, report.leaf_hash, trust);
      if (fresh.index !== report.index) throw new Error(`the log now shows entry ${fresh.index}, not ${report.index}`);
      const old = report.checkpoint;
      const c = await this.#client.getJson(`/v1/consistency/${old.size}`);
      const latest = this.#core.openCheckpoint(c.checkpoint, trust).checkpoint;
      this.#core.verifyConsistency({ size1: old.size, size2: latest.size, proof: c.proof, root1: old.root, root2: latest.root });
      const date = new Intl.DateTimeFormat(this.#lang, { dateStyle: 'long' })
        .format(new Date(receipt.entry.statement.created * 1000));
      this.#status(this.#text('check_ok', { index: report.index, date, size: old.size, latest: latest.size }));
    } catch (error) {
      this.#status(this.#text('check_bad', { message: error.message }), 'alert');
    }
  }
}

// Safe to load twice.
if (!customElements.get('objection-form')) customElements.define('objection-form', ObjectionForm);
