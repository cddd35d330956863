// <objection-form>: the objection flow for web pages and app webviews.
//
//   <objection-form controller="social.example/ai-training" log-key="social.example/ai-training+…"
//                   services="facebook,instagram" jurisdiction="GB" lang="en-GB"></objection-form>
//   form.accountToken = tokenFromYourBackend;
//
// All signing, hashing and verification runs in the wasm core. The element
// talks to nothing but its own files and the configured intake. What it keeps
// on the device (pending objections, receipts) lives in IndexedDB, per account.
// The form renders from this module, its styles and one catalog; the core is
// fetched and compiled meanwhile, and a submission waits for it if need be.
import { format, loadCatalog, negotiate } from './catalog.js';
import { widgetConfig } from './config.js';
import { openDeviceStore } from './device-store.js';
import { errorMessage, IntakeClient, loadDiscovery, tokenAccount, tokenClaims } from './intake-client.js';
import { JURISDICTIONS } from './jurisdictions.js';
import { keptReceipts, removeReceipt } from './kept-receipts.js';
import { isExpired, MAX_AGE_S, pendingItem } from './pending.js';

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

const nowSeconds = () => Math.floor(Date.now() / 1000);
// A press saved before the core arrived: the core is fetched again after
// this long, doubling up to the maximum, while the page is open.
const PRESS_RETRY_FIRST_MS = 2000;
// The app's bridge, when the widget runs in an app's webview (delivery.js).
const appBridge = () => globalThis.window?.webkit?.messageHandlers?.objector ?? globalThis.window?.ObjectorBridge ?? null;

// Printing a done screen prints the widget's record, not the host page: a
// stylesheet the host document adopts (no inline style, so no CSP change).
function printOnlyTheWidget() {
  const doc = globalThis.document;
  if (!doc?.adoptedStyleSheets || doc.objectorPrintSheet) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('@media print { body * { visibility: hidden !important; } ' +
    'objection-form, objection-form * { visibility: visible !important; } ' +
    'objection-form { position: absolute; left: 0; top: 0; width: 100%; } }');
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  doc.objectorPrintSheet = sheet;
}

// The country chooser's last choice: someone this form is not for.
const NOT_LISTED = 'not-listed';
// The intake's refusals of the added text alone (native/intake/submission.cpp).
const REASON_ERRORS = new Set(['too_long', 'control_character']);
const PRESS_RETRY_MAX_MS = 60000;

export class ObjectionForm extends HTMLElement {
  static observedAttributes = ['lang', 'jurisdiction', 'services', 'controller', 'controller-name', 'service-names',
    'mode', 'account-token'];

  #root;
  #core = null;  // set once the wasm core is ready
  #after = null;  // receipts.js and delivery.js, loaded with the core
  #coreReady = null;  // resolves to the core
  #t = null;  // the active catalog
  #lang = 'en-GB';
  #token = null;
  // The token an e-mail code bought (people without an account): in this
  // element only, never in the page's reach or the device's storage.
  #contactToken = null;
  #contactBusy = false;  // a code being sent or checked
  #contactOffered = null;  // a promise: whether the intake takes objections by e-mail code
  #jurisdictions = JURISDICTIONS.map(([code, basis]) => ({ code, basis }));
  #store = null;
  #client = null;
  #clientReady = null;  // resolves once #client (and #store) are there
  #formShownEarly = false;  // the form is on screen from before the store opened
  #discovered = null;  // the discovery document, when the host gave `discovery`
  #connected = false;
  #shownAccount = null;  // whose objection or receipts the screen shows
  #blobUrls = [];
  #pressRetry = null;  // the timer that tries the core again for a saved press
  #pressDelay = PRESS_RETRY_FIRST_MS;
  #finishing = null;  // the run of #finishPresses in progress
  #expiryTimer = null;  // re-renders the form when the token expires
  #redraw = null;  // draws the screen on show again (a language switch)
  #personActed = false;  // the person pressed, typed or chose something inside the widget
  #finishAgain = false;
  #onOnline = () => {
    this.#flush();
    this.#finishPresses();
  };

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  get accountToken() { return this.#token ?? this.getAttribute('account-token'); }
  set accountToken(value) {
    this.#token = value;
    this.#tokenChanged();
  }

  async connectedCallback() {
    this.#connected = true;
    globalThis.performance?.mark?.('objection-form:connected');
    const sheet = h('link', { rel: 'stylesheet', href: new URL('objection-form.css', moduleBase).href });
    // Focus moves only after something the person did inside the widget: on
    // load it neither takes focus nor scrolls the host page (WCAG 2.4.3).
    const container = h('div', { class: 'objector', part: 'container' });
    for (const type of ['pointerdown', 'keydown', 'submit', 'change']) {
      container.addEventListener(type, () => { this.#personActed = true; }, { capture: true });
    }
    this.#root.replaceChildren(sheet, container);
    // Started once the form is on screen, so the form's own few files do not
    // queue behind the core's.
    let startCore;
    this.#coreReady = new Promise((resolve) => { startCore = resolve; }).then(() => this.#loadCore());
    this.#coreReady.catch(() => {});  // reported when something needs the core
    // Opening the device's store is the slowest step on a cold page (about
    // 80 ms in Chromium, more than the catalog and the render together), so a
    // signed-in person gets the form before it is open; #render then keeps
    // that form unless the store says where they stand.
    const opening = openDeviceStore();
    let clientReady;
    this.#clientReady = new Promise((resolve) => { clientReady = resolve; });
    try {
      const discovery = this.hasAttribute('discovery')
        ? loadDiscovery(new URL(this.getAttribute('discovery'), globalThis.location?.href)) : null;
      const [discovered] = await Promise.all([discovery, this.#setLanguage()]);
      this.#discovered = discovered;
      const early = this.#connected && this.#renderFormEarly();
      if (early) globalThis.performance?.mark?.('objection-form:interactive');
      const store = await opening;
      if (!this.#connected) return store.close();
      this.#store = store;
      this.#client = new IntakeClient({
        intake: this.#intakeUrl, store, token: () => this.#effectiveToken,
        on: {
          accepted: (item, reply) => this.#accepted(item, reply),
          rejected: (item, error) => this.#rejected(item, error),
          expired: (item) => this.#expired(item),
          waiting: (items, why, error) => this.#waiting(items, why, error),
        },
      });
      clientReady();
      await this.#client.adoptLegacy();
      await this.#render();
      // User Timing: hosts (and tools/bench) can read when the form became usable.
      if (!early) globalThis.performance?.mark?.('objection-form:interactive');
      startCore();
      globalThis.addEventListener('online', this.#onOnline);
      this.#flush();
      this.#finishPresses();
    } catch (error) {
      startCore();
      if (!this.#store) opening.then((store) => store.close());
      this.#container().replaceChildren(h('p', { role: 'alert' }, String(error.message ?? error)));
    }
  }

  // The form for a signed-in person, before the device's store has opened;
  // false (nothing drawn) when another screen may be the right one.
  #renderFormEarly() {
    if (this.getAttribute('mode') === 'check' || this.#signin !== 'valid') return false;
    this.#shownAccount = this.#account;
    this.#renderForm();
    this.#formShownEarly = true;
    return true;
  }

  // The core module, its glue and the wasm: fetched and compiled (streaming)
  // while the form is already usable; with it the modules only a signed
  // objection needs (receipts, delivery to the host), off the form's own path.
  async #loadCore() {
    const wasmUrl = this.getAttribute('wasm-url') ?? new URL('objector-core.wasm', moduleBase);
    const [{ loadCore }, receipts, delivery] = await Promise.all([import('./objector-core.mjs'),
      import('./receipts.js'), import('./delivery.js')]);
    this.#after = { ...receipts, ...delivery };
    const core = await loadCore({ wasmUrl });
    if (!this.#connected) {
      core.dispose();
      throw new Error('disconnected');
    }
    this.#core = core;
    globalThis.performance?.mark?.('objection-form:core-ready');
    return core;
  }

  // The core, waiting for it with a visible status if it is not there yet. A
  // failed load (the connection dropped) is tried again the next time.
  async #ready() {
    if (this.#core) return this.#core;
    this.#status(this.#text('preparing'));
    this.#coreReady ??= this.#loadCore();
    try {
      return await this.#coreReady;
    } catch {
      this.#coreReady = null;
      throw Object.assign(new Error('core unavailable'), { code: 'core_unavailable' });
    }
  }

  disconnectedCallback() {
    this.#connected = false;
    globalThis.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#pressRetry);
    clearTimeout(this.#expiryTimer);
    this.#client?.stop();
    this.#client = null;
    this.#revokeUrls();
    this.#core?.dispose();
    this.#core = null;
    this.#store?.close();
    this.#store = null;
  }

  async attributeChangedCallback(name, oldValue, value) {
    if (!this.#client || oldValue === value) return;
    if (name === 'account-token') return this.#tokenChanged();
    if (name === 'lang') {
      // The screen on show, again, in the new language.
      await this.#setLanguage();
      if (this.#redraw) {
        this.#container().replaceChildren();
        return this.#redraw();
      }
    }
    await this.#render();
  }

  // --- configuration (config.js): attributes win, the discovery document fills in ---
  get #config() { return widgetConfig((name) => this.getAttribute(name), this.#discovered, globalThis.location?.href); }
  get #controller() { return this.#config.controller; }
  get #controllerName() { return this.#config.controllerName; }
  get #intakeUrl() { return this.#config.intakeUrl; }
  #serviceName(id) { return this.#config.serviceName(id, this.#t); }
  #serviceList(ids) {
    return new Intl.ListFormat(this.#lang, { type: 'conjunction' }).format(ids.map((id) => this.#serviceName(id)));
  }
  get #services() { return this.#config.services; }
  get #purposes() { return this.#config.purposes; }
  get #logKey() { return this.#config.logKey; }
  get #trust() { return this.#config.trust; }
  get #reasonDays() { return this.#config.reasonDays; }
  // The page's token wins; else the one an e-mail code bought.
  get #effectiveToken() { return this.accountToken ?? this.#contactToken; }
  get #account() { return this.#effectiveToken ? tokenAccount(this.#effectiveToken) : null; }
  // 'missing', 'expired' or 'valid', from what the token says of itself.
  get #signin() {
    const claims = this.#effectiveToken ? tokenClaims(this.#effectiveToken) : null;
    if (!claims) return 'missing';
    return claims.exp != null && claims.exp <= nowSeconds() ? 'expired' : 'valid';
  }

  async #setLanguage() {
    this.#lang = negotiate(this.getAttribute('lang'));
    this.#t = await loadCatalog(this.#lang, moduleBase);
  }

  #text(key, params) { return format(this.#t[key] ?? key, params); }
  #errorText(error) {
    const { key, params } = errorMessage(this.#t, error);
    return this.#text(key, params);
  }
  #date(seconds) {
    return new Intl.DateTimeFormat(this.#lang, { dateStyle: 'long' }).format(new Date(seconds * 1000));
  }
  #dateTime(seconds) {
    return new Intl.DateTimeFormat(this.#lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(seconds * 1000));
  }
  #container() { return this.#root.querySelector('.objector'); }

  // Another account signed in: nothing of the previous one stays on screen.
  async #tokenChanged() {
    if (!this.#client) return;
    if (this.#account !== this.#shownAccount) await this.#render();
    else this.#refreshSigninNotice();
    this.#watchExpiry();
    this.#flush();
    this.#finishPresses();
  }

  #flush() {
    this.#client?.flush().catch((error) => this.#status(this.#errorText(error), 'alert'));
  }

  async #render() {
    const early = this.#formShownEarly && this.#account === this.#shownAccount;
    this.#formShownEarly = false;
    this.#shownAccount = this.#account;
    this.#watchExpiry();
    if (this.getAttribute('mode') === 'check') return this.#renderCheck();
    if (!this.#shownAccount) {
      // Signed out: an objection saved here waits for its person to sign in again.
      this.#renderForm();
      if (await this.#client.anyPending()) this.#status(this.#text('waiting_signed_out'));
      return;
    }
    const presses = await this.#presses(this.#shownAccount);
    if (presses.length) return this.#renderPressWaiting(presses[0]);
    const pending = await this.#client.pending(this.#shownAccount);
    if (pending.length) return this.#renderWaiting(pending, 'offline');
    // It remembers: what this device kept says it at once; the log adds what
    // was made on other devices.
    const kept = (await keptReceipts(this.#store, this.#shownAccount)).map((r) => {
      const { created, services } = JSON.parse(r.text).entry.statement;
      return { leaf_hash: r.leaf_hash, created, services, receipt: r };
    });
    if (kept.length) this.#renderRemembered(kept);
    else if (!early) this.#renderForm();
    this.#askLog(this.#shownAccount, kept);
  }

  // The log's list of this account's objections; shown when it has some this
  // screen does not, unless the person has started filling the form in.
  async #askLog(account, kept) {
    if (this.#signin !== 'valid') return;
    let logged;
    try {
      logged = await this.#client.objections();
    } catch {
      return;  // offline or refused: what this device knows stands
    }
    const known = new Set(kept.map((o) => o.leaf_hash));
    const more = (logged ?? []).filter((o) => !known.has(o.leaf_hash));
    if (!more.length || this.#account !== account) return;
    const onScreen = this.#container()?.querySelector('section');
    const untouched = onScreen?.matches('.remembered') || (onScreen?.querySelector('form #submit-objection') &&
      !onScreen.dataset.touched);
    if (untouched) this.#renderRemembered([...kept, ...more].sort((a, b) => b.created - a.created));
  }

  // "You objected on …": where the person stands, with each receipt kept
  // here; objecting again (for another service) stays possible.
  #renderRemembered(objections) {
    this.#redraw = () => this.#renderRemembered(objections);
    this.#show(h('section', { 'aria-labelledby': 'remembered', class: 'remembered' },
      h('h2', { id: 'remembered', tabindex: -1 }, this.#text('remembered_title')),
      h('ul', { class: 'objections' }, objections.map((o) => {
        const said = this.#text('remembered_item', { date: this.#date(o.created), services: this.#serviceList(o.services) });
        return h('li', {}, h('p', {}, said), o.receipt
          ? h('p', { class: 'actions' },
            this.#download(o.receipt.text, `objection-receipt-${this.#isoDate(o.created)}.json`, this.#text('download'),
              { 'aria-label': `${this.#text('download')}: ${said}` }))
          : h('p', { class: 'hint' }, this.#text('remembered_elsewhere')));
      })),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.#renderForm() }, this.#text('object_other')),
        this.getAttribute('check-url')
          ? h('a', { href: this.getAttribute('check-url'), class: 'button' }, this.#text('check_title'))
          : h('button', { type: 'button', onclick: () => this.setAttribute('mode', 'check') }, this.#text('check_title'))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  #show(section) {
    // The previous screen's download links go; the new screen's stay.
    const kept = new Set([...section.querySelectorAll('a[download]')].map((a) => a.href));
    for (const url of this.#blobUrls) if (!kept.has(url)) URL.revokeObjectURL(url);
    this.#blobUrls = [...kept];
    const container = this.#container();
    container.setAttribute('lang', this.#lang);  // the language it shows (WCAG 3.1.2)
    container.replaceChildren(section);
    if (this.#personActed) section.querySelector('h2')?.focus({ preventScroll: false });
  }

  // One message at a time: a new one replaces the other kind's.
  #status(message, kind = 'status') {
    const container = this.#container();
    const live = container?.querySelector(kind === 'alert' ? '.alert' : '.status');
    if (!live) return;
    live.textContent = message;
    if (message) {
      const other = container.querySelector(kind === 'alert' ? '.status' : '.alert');
      if (other) other.textContent = '';
    }
  }

  // A download link for `text`; its blob URL is revoked when the screen changes.
  #download(text, file, label, attrs = {}) {
    const href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    this.#blobUrls.push(href);
    return h('a', { href, download: file, class: 'button', ...attrs }, label);
  }
  #revokeUrls() {
    for (const url of this.#blobUrls.splice(0)) URL.revokeObjectURL(url);
  }

  // --- objecting ---
  #renderForm(notice) {
    const basisFor = (code) => this.#jurisdictions.find((j) => j.code === code)?.basis;
    const fixed = this.getAttribute('jurisdiction');
    const basisLine = h('p', { class: 'basis', id: 'basis' });
    const updateBasis = (code) => {
      const basis = basisFor(code);
      if (code === NOT_LISTED) {
        basisLine.textContent = this.#text('country_not_listed_text', { controller: this.#controllerName });
      } else {
        basisLine.textContent = basis ? this.#text('basis', { basis: this.#text(`basis.${basis}`) }) : '';
      }
    };
    const country = fixed ? null : this.#countrySelect(updateBasis);
    updateBasis(fixed);
    const days = this.#reasonDays;
    const purpose = days != null ? this.#text('reason_purpose', { controller: this.#controllerName, days })
      : this.#text('reason_purpose_no_days', { controller: this.#controllerName });

    const form = h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); this.#submit(form); },
      oninput: () => { form.closest('section').dataset.touched = '1'; } },
      h('fieldset', { class: 'field' },
        h('legend', {}, this.#text('services')),
        h('p', { id: 'services-error', class: 'error-message' }),
        this.#services.map((s) => h('label', { class: 'choice' },
          h('input', { type: 'checkbox', name: 'service', value: s, checked: true }), ` ${this.#serviceName(s)}`))),
      country && h('div', { class: 'field' }, h('label', { for: 'country' }, this.#text('country')),
        h('p', { id: 'country-error', class: 'error-message' }), country),
      basisLine,
      h('details', { class: 'reason' },
        h('summary', {}, this.#text('reason_summary')),
        h('div', { class: 'field' }, h('label', { for: 'reason' }, this.#text('reason')),
          h('p', { id: 'reason-error', class: 'error-message' }),
          h('textarea', { id: 'reason', name: 'reason', rows: 3, 'aria-describedby': 'reason-purpose reason-count',
            oninput: (e) => this.#countReason(e.target) }),
          h('p', { id: 'reason-count', class: 'hint', 'aria-live': 'polite' },
            this.#text('reason_count', { count: this.#config.maxReasonBytes })),
          h('p', { id: 'reason-purpose', class: 'hint' }, purpose))),
      h('p', { class: 'alert', role: 'alert' }, notice ?? ''),
      h('button', { type: 'submit', class: 'primary', id: 'submit-objection' }, this.#text('submit')));
    const signin = this.#signin;
    this.#redraw = () => this.#renderForm(notice);
    this.#show(h('section', { 'aria-labelledby': 'title' },
      h('h2', { id: 'title', tabindex: -1 }, this.#text('title')),
      h('p', {}, this.#text('explain', { controller: this.#controllerName })),
      signin === 'valid' ? null : this.#signinNotice(signin),
      form,
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // Said before anyone presses anything: without a sign-in (or with an
  // expired one) an objection cannot be made for the person's account. The
  // host learns it from a cancelable objection-signin-needed event (an app
  // that cancels it signs the person in itself); a page's signin-url becomes
  // the way to sign in.
  #signinNotice(reason) {
    const event = new CustomEvent('objection-signin-needed', { detail: { reason }, bubbles: true, composed: true,
      cancelable: true });
    const handled = !this.dispatchEvent(event);
    const url = this.getAttribute('signin-url');
    const expired = reason === 'expired';
    const signinLink = url && !handled;
    const notice = h('div', { class: 'notice', role: 'region', 'aria-labelledby': 'signin-title' },
      h('h3', { id: 'signin-title' }, this.#text(expired ? 'signin_expired_title' : 'signin_needed_title')),
      h('p', {}, this.#text(expired ? 'signin_expired' : 'signin_needed', { controller: this.#controllerName })),
      signinLink ? h('p', {}, h('a', { href: url, class: 'button primary', id: 'signin-link' },
        this.#text('signin'))) : null);
    if (!expired) this.#offerContact(notice, signinLink);
    return notice;
  }

  // Without an account, when the intake takes objections by e-mail code: the
  // attribute or the discovery document says so, else the intake's own
  // discovery document (asked once).
  async #offerContact(notice, signinLink) {
    const said = this.#config.contact;
    this.#contactOffered ??= said !== null ? Promise.resolve(said)
      : this.#client.getJson('/.well-known/objector').then((d) => Boolean(d.contact), () => {
        this.#contactOffered = null;  // not reachable now: the next notice asks again
        return false;
      });
    if (!await this.#contactOffered) return;
    notice.append(h('p', {}, this.#text('contact_offer', { controller: this.#controllerName })),
      h('p', {}, h('button', { type: 'button', class: signinLink ? 'secondary' : 'primary', id: 'contact-start',
        onclick: () => this.#renderContactEmail() }, this.#text('contact_start'))));
  }

  // --- objecting without an account: an e-mail address, proved by a code ---
  #renderContactEmail(email = '') {
    const form = h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); this.#sendCode(form); } },
      h('div', { class: 'field' },
        h('label', { for: 'contact-email' }, this.#text('contact_email')),
        h('p', { id: 'contact-email-hint', class: 'hint' }, this.#text('contact_email_hint',
          { controller: this.#controllerName })),
        h('p', { id: 'contact-email-error', class: 'error-message' }),
        h('input', { id: 'contact-email', name: 'email', type: 'email', autocomplete: 'email', spellcheck: 'false',
          'aria-describedby': 'contact-email-hint', value: email })),
      h('p', { class: 'alert', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'contact-send' }, this.#text('contact_send')),
        h('button', { type: 'button', class: 'link', onclick: () => this.#render() }, this.#text('contact_back'))));
    this.#redraw = () => this.#renderContactEmail(form.querySelector('#contact-email').value);
    this.#show(h('section', { 'aria-labelledby': 'contact-title', class: 'contact' },
      h('h2', { id: 'contact-title', tabindex: -1 }, this.#text('contact_title')),
      h('p', {}, this.#text('contact_explain', { controller: this.#controllerName })),
      form,
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  async #sendCode(form, email = form?.querySelector('#contact-email').value.trim()) {
    if (form) this.#clearFieldErrors(form);
    if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      return this.#fieldError(form, 'contact-email', this.#text('error.bad_email'));
    }
    if (this.#contactBusy) return;  // a second press would spend another of the hour's codes
    this.#contactBusy = true;
    this.#status(this.#text('contact_sending'));
    let sent;
    try {
      sent = await this.#client.requestCode(email, this.#lang);
    } catch (error) {
      this.#status('');
      if (form && error.code === 'bad_email') return this.#fieldError(form, 'contact-email', this.#errorText(error));
      return this.#status(this.#errorText(error), 'alert');
    } finally {
      this.#contactBusy = false;
    }
    this.#renderContactCode(email, sent.expires);
  }

  #renderContactCode(email, expires) {
    const minutes = Math.max(1, Math.round((expires - nowSeconds()) / 60));
    const form = h('form', { novalidate: true, onsubmit: (e) => { e.preventDefault(); this.#useCode(form, email); } },
      h('div', { class: 'field' },
        h('label', { for: 'contact-code' }, this.#text('contact_code')),
        h('p', { id: 'contact-code-hint', class: 'hint' }, this.#text('contact_code_hint')),
        h('p', { id: 'contact-code-error', class: 'error-message' }),
        h('input', { id: 'contact-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
          spellcheck: 'false', class: 'code', 'aria-describedby': 'contact-code-hint' })),
      h('p', { class: 'alert', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'contact-continue' }, this.#text('contact_continue')),
        h('button', { type: 'button', class: 'link', id: 'contact-resend', onclick: () => this.#sendCode(null, email) },
          this.#text('contact_resend')),
        h('button', { type: 'button', class: 'link', onclick: () => this.#renderContactEmail(email) },
          this.#text('contact_change_email'))));
    this.#redraw = () => this.#renderContactCode(email, expires);
    this.#show(h('section', { 'aria-labelledby': 'contact-code-title', class: 'contact' },
      h('h2', { id: 'contact-code-title', tabindex: -1 }, this.#text('contact_code_title')),
      h('p', {}, this.#text('contact_code_sent', { email, minutes })),
      form,
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  async #useCode(form, email) {
    this.#clearFieldErrors(form);
    const code = form.querySelector('#contact-code').value.replace(/\s/g, '');
    if (!/^[0-9]{6}$/.test(code)) return this.#fieldError(form, 'contact-code', this.#text('contact_error_code'));
    if (this.#contactBusy) return;
    this.#contactBusy = true;
    let answer;
    try {
      answer = await this.#client.exchangeCode(email, code);
    } catch (error) {
      if (['code_invalid', 'code_expired', 'code_locked'].includes(error.code)) {
        return this.#fieldError(form, 'contact-code', this.#errorText(error));
      }
      return this.#status(this.#errorText(error), 'alert');
    } finally {
      this.#contactBusy = false;
    }
    this.#contactToken = answer.token;
    this.#shownAccount = undefined;  // the form (or what this address already did), whatever was on screen
    await this.#tokenChanged();
  }

  // A form on screen says when its sign-in expires, without waiting for a press.
  #watchExpiry() {
    clearTimeout(this.#expiryTimer);
    const exp = this.#effectiveToken ? tokenClaims(this.#effectiveToken)?.exp : null;
    if (exp == null || exp <= nowSeconds()) return;
    this.#expiryTimer = setTimeout(() => this.#refreshSigninNotice(), Math.min((exp - nowSeconds()) * 1000 + 100,
      2 ** 31 - 1));
  }

  // The form's sign-in notice, as the token now stands (what was chosen stays).
  #refreshSigninNotice() {
    const form = this.#container()?.querySelector('form');
    if (!form?.querySelector('#submit-objection')) return;
    const old = this.#container().querySelector('.notice');
    const state = this.#signin;
    const fresh = state === 'valid' ? null : this.#signinNotice(state);
    if (old && fresh) old.replaceWith(fresh);
    else if (old) old.remove();
    else if (fresh) form.before(fresh);
  }

  // The person's country, when the host does not fix the jurisdiction.
  #countrySelect(onChange) {
    const names = new Intl.DisplayNames([this.#lang], { type: 'region' });
    const countries = this.#jurisdictions.map((j) => ({ code: j.code, name: names.of(j.code) }))
      .sort((a, b) => a.name.localeCompare(b.name, this.#lang));
    // Required, but checked in script: nothing is announced invalid before anyone chose.
    return h('select', { id: 'country', name: 'country', 'aria-describedby': 'basis',
      onchange: (e) => onChange(e.target.value) },
    h('option', { value: '' }, this.#text('choose_country')),
    countries.map((c) => h('option', { value: c.code }, c.name)),
    h('option', { value: NOT_LISTED }, this.#text('country_not_listed')));
  }

  // How much more the reason may hold, as the intake counts it (UTF-8
  // bytes), said in characters like those typed so far; over the limit, by how many.
  #reasonRoom(text) {
    const bytes = new TextEncoder().encode(text).length;
    const perChar = text.length ? bytes / [...text].length : 1;
    const room = this.#config.maxReasonBytes - bytes;
    return { over: room < 0, count: Math.floor(Math.abs(room) / perChar) + (room < 0 ? 1 : 0) };
  }

  #countReason(textarea) {
    const { over, count } = this.#reasonRoom(textarea.value);
    textarea.closest('form').querySelector('#reason-count').textContent =
      this.#text(over ? 'reason_over' : 'reason_count', { count });
  }

  // An error where the person looks (GOV.UK's pattern): under the field's
  // label, the field marked invalid and described by it, focus on the field.
  #fieldError(form, name, message) {
    const error = form.querySelector(`#${name}-error`);
    error.replaceChildren(h('span', { class: 'visually-hidden' }, `${this.#text('error_prefix')} `), message);
    error.closest('.field').classList.add('has-error');
    const control = name === 'services' ? error.closest('fieldset') : form.querySelector(`#${name}`);
    control.setAttribute('aria-invalid', 'true');
    const also = { country: 'basis', reason: 'reason-purpose reason-count', 'contact-email': 'contact-email-hint',
      'contact-code': 'contact-code-hint' }[control.id];
    control.setAttribute('aria-describedby', [`${name}-error`, also].filter(Boolean).join(' '));
    (name === 'services' ? form.querySelector('input[name=service]') : control).focus();
  }

  #clearFieldErrors(form) {
    for (const error of form.querySelectorAll('.error-message')) {
      error.replaceChildren();
      error.closest('.field').classList.remove('has-error');
    }
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
    form.querySelector('fieldset')?.removeAttribute('aria-describedby');
    form.querySelector('#country')?.setAttribute('aria-describedby', 'basis');
    form.querySelector('#reason')?.setAttribute('aria-describedby', 'reason-purpose reason-count');
    form.querySelector('#contact-email')?.setAttribute('aria-describedby', 'contact-email-hint');
    form.querySelector('#contact-code')?.setAttribute('aria-describedby', 'contact-code-hint');
  }

  async #submit(form) {
    this.#status('', 'alert');
    this.#clearFieldErrors(form);
    const services = [...form.querySelectorAll('input[name=service]:checked')].map((i) => i.value);
    const jurisdiction = this.getAttribute('jurisdiction') ?? form.querySelector('#country')?.value;
    if (!services.length) return this.#fieldError(form, 'services', this.#text('error.no_services'));
    if (!jurisdiction) return this.#fieldError(form, 'country', this.#text('error.no_country'));
    if (jurisdiction === NOT_LISTED) return this.#fieldError(form, 'country', this.#text('error.country_not_listed'));
    const room = this.#reasonRoom(form.querySelector('#reason').value.trim());
    if (room.over) {  // refused here, before anything is signed, with the text kept
      form.querySelector('details.reason').open = true;
      return this.#fieldError(form, 'reason', this.#text('error.reason_too_long', { count: room.count }));
    }
    const account = this.#account;
    if (!account) {
      this.#status(this.#text('error.token_missing'), 'alert');
      return this.#container().querySelector('#signin-link')?.focus();
    }
    const button = form.querySelector('button');
    button.disabled = true;
    await this.#clientReady;  // a press on the form shown before the store opened
    const press = { id: globalThis.crypto.randomUUID(), intake: this.#client.intake, account, created: nowSeconds(),
      controller: this.#controller, jurisdiction, services, purposes: this.#purposes, lang: this.#lang };
    const reason = form.querySelector('#reason').value.trim();
    if (reason) press.reason = reason;
    try {
      if (this.#core) return await this.#sign(press);
      // Before the core is here, the press itself is kept on the device: it is
      // signed and sent once the core loads, on this page or when it is reopened.
      await this.#store.put('presses', press);
      await this.#finishPresses();
    } catch (error) {
      this.#status(this.#errorText(error), 'alert');
      button.disabled = false;
    }
  }

  // Signs a press (made now, or saved earlier) and hands it to the intake
  // client; a saved press becomes a pending objection in one step (so it can
  // never be both, and be signed twice).
  async #sign(press) {
    const core = await this.#ready();
    this.#status(this.#text('working'));
    const objection = core.makeObjection({
      controller: press.controller, jurisdiction: press.jurisdiction, services: press.services,
      purposes: press.purposes, lang: press.lang, created: press.created, account: press.account,
    });
    // Kept on the device before it is sent: a closed page or a dead
    // connection loses nothing.
    const item = pendingItem(objection, { intake: press.intake, account: press.account, reason: press.reason });
    if (await this.#store.get('presses', press.id)) {
      await this.#store.move('presses', press.id, 'pending', item);
      return this.#flush();
    }
    return this.#client.submit(item);
  }

  // The presses saved on this device for `account` at this intake, oldest first.
  async #presses(account) {
    const all = this.#store ? await this.#store.all('presses') : [];
    return all.filter((p) => p.intake === this.#client.intake && p.account === account)
      .sort((a, b) => a.created - b.created);
  }

  // Signs and sends the saved presses of the account on screen; while the
  // core cannot be loaded, says so and tries again later. One run at a time:
  // a press is signed once.
  #finishPresses() {
    if (this.#finishing) {
      this.#finishAgain = true;  // a press saved meanwhile is not missed
      return this.#finishing;
    }
    this.#finishing = (async () => {
      try {
        do {
          this.#finishAgain = false;
          await this.#finishPressesOnce();
        } while (this.#finishAgain);
      } finally {
        this.#finishing = null;
      }
    })();
    return this.#finishing;
  }

  async #finishPressesOnce() {
    if (!this.#client || !this.#shownAccount) return;
    clearTimeout(this.#pressRetry);
    this.#pressRetry = null;
    for (const press of await this.#presses(this.#shownAccount)) {
      if (isExpired(press, nowSeconds())) {
        await this.#store.delete('presses', press.id);
        this.#expired({ account: press.account, created: press.created });
        continue;
      }
      try {
        await this.#sign(press);
        this.#pressDelay = PRESS_RETRY_FIRST_MS;
      } catch (error) {
        if (error.code !== 'core_unavailable') return this.#status(this.#errorText(error), 'alert');
        return this.#pressWaits(press);
      }
    }
  }

  #pressWaits(press) {
    if (!this.#connected) return;
    if (press.account === this.#shownAccount && this.getAttribute('mode') !== 'check') this.#renderPressWaiting(press);
    clearTimeout(this.#pressRetry);
    this.#pressRetry = setTimeout(() => this.#finishPresses(), this.#pressDelay);
    this.#pressDelay = Math.min(this.#pressDelay * 2, PRESS_RETRY_MAX_MS);
  }

  // A press saved before it could be signed: nothing has reached the platform yet.
  #renderPressWaiting(press) {
    if (this.#container().querySelector(`section[data-press="${press.id}"]`)) return;  // on screen already
    this.#redraw = () => this.#renderPressWaiting(press);
    this.#show(h('section', { 'aria-labelledby': 'waiting', class: 'waiting', 'data-press': press.id },
      h('h2', { id: 'waiting', tabindex: -1 }, this.#text('waiting_title')),
      h('p', {}, this.#text('waiting_unsigned', { date: this.#date(press.created), services: this.#serviceList(press.services) })),
      h('p', {}, this.#text('waiting_expires', { date: this.#date(press.created + MAX_AGE_S) })),
      h('p', { class: 'actions' },
        h('button', { type: 'button', onclick: () => this.#finishPresses() }, this.#text('try_now'))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // Waiting to be sent: no second objection is offered meanwhile.
  #renderWaiting(items, why, error) {
    const [first] = items;
    const params = { date: this.#date(first.created), services: this.#serviceList(first.entry.statement.services),
      controller: this.#controllerName };
    // Offline is the device's state; anything else means the platform is not answering.
    const cause = globalThis.navigator?.onLine === false ? 'waiting_cause_offline' : 'waiting_cause_unreachable';
    const shown = this.#container().querySelector(`section.waiting[data-leaf="${first.leaf_hash}"][data-why="${why}"]`);
    if (shown) {  // the same screen: its cause is brought up to date, focus stays where it is
      const line = shown.querySelector('.cause');
      if (line) line.textContent = this.#text(cause, params);
      return;
    }
    this.#redraw = () => this.#renderWaiting(items, why, error);
    this.#show(h('section', { 'aria-labelledby': 'waiting', class: 'waiting', 'data-leaf': first.leaf_hash,
      'data-why': why },
      h('h2', { id: 'waiting', tabindex: -1 }, this.#text('waiting_title')),
      why === 'signin' ? null : h('p', { class: 'cause' }, this.#text(cause, params)),
      h('p', {}, this.#text(why === 'signin' ? 'waiting_signin' : 'waiting_offline', params)),
      h('p', {}, this.#text('waiting_expires', { date: this.#date(first.created + MAX_AGE_S) })),
      // Trying again cannot help until the person signs in: the way to sign in instead.
      why === 'signin' ? this.#signinNotice(error?.code === 'token_expired' || this.#signin === 'expired'
        ? 'expired' : 'missing')
        : h('p', { class: 'actions' },
          h('button', { type: 'button', onclick: () => this.#tryNow() }, this.#text('try_now'))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // Try again now: says that it tried, and when the next try is.
  async #tryNow() {
    this.#status(this.#text('waiting_trying'));
    await this.#client?.flush().catch(() => {});
    if (!this.#container()?.querySelector('section.waiting')) return;  // sent, or another screen
    const time = (seconds) => new Intl.DateTimeFormat(this.#lang, { timeStyle: 'short' }).format(new Date(seconds * 1000));
    const next = this.#client?.nextRetry;
    this.#status(this.#text('waiting_tried', { time: time(nowSeconds()), next: next ? time(next) : '—' }));
  }

  #waiting(items, why, error) {
    if (items[0]?.account !== this.#shownAccount || this.getAttribute('mode') === 'check') return;
    this.#renderWaiting(items, why, error);
  }

  // The intake accepted the objection: the receipt is made, verified and kept
  // (receipts.js; the client deletes the pending copy only then), then shown.
  async #accepted(item, reply) {
    const core = await this.#ready();
    const { keepAccepted, deliver } = this.#after;
    const { receipt, text, report, publicReceipt } = await keepAccepted({ core, store: this.#store, item, reply,
      trust: this.#trust });
    // Only the account it belongs to sees it (the token may have changed meanwhile).
    if (item.account !== this.#account) return;
    if (this.getAttribute('mode') === 'check') await this.#renderCheck();
    else this.#renderDone(receipt, text, report, reply.index);
    deliver(this, { receipt, publicReceipt, index: reply.index, leafHash: item.leaf_hash, verified: report != null },
      { frameOrigin: this.getAttribute('frame-origin'), secrets: this.hasAttribute('deliver-secrets') });
  }

  async #rejected(item, error) {
    if (item.account !== this.#account || this.getAttribute('mode') === 'check') return;
    const statement = (await this.#ready()).canonicalize(JSON.stringify(item.entry));
    this.#redraw = () => this.#rejected(item, error);
    // Only the added text was refused: the objection does not need it.
    if (item.reason && REASON_ERRORS.has(error?.code) && error.message?.startsWith('reason:')) {
      return this.#renderReasonRefused(item);
    }
    this.#show(h('section', { 'aria-labelledby': 'rejected' },
      h('h2', { id: 'rejected', tabindex: -1 }, this.#text('rejected_title')),
      h('p', { class: 'alert', role: 'alert' }, this.#errorText(error)),
      h('p', {}, this.#text('rejected_text')),
      h('p', { class: 'actions' },
        this.#download(statement, `objection-statement-${this.#isoDate(item.created)}.json`, this.#text('download_statement')),
        h('button', { type: 'button', class: 'primary', onclick: () => this.#render() }, this.#text('object_again'))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // The platform refused the text added to an objection: the text is kept
  // here to copy, and the signed objection can go without it.
  #renderReasonRefused(item) {
    this.#redraw = () => this.#renderReasonRefused(item);
    const withoutReason = { ...item };
    delete withoutReason.reason;
    this.#show(h('section', { 'aria-labelledby': 'reason-refused' },
      h('h2', { id: 'reason-refused', tabindex: -1 }, this.#text('reason_refused_title')),
      h('p', {}, this.#text('reason_refused_text', { controller: this.#controllerName })),
      h('div', { class: 'field' }, h('label', { for: 'kept-reason' }, this.#text('reason')),
        h('textarea', { id: 'kept-reason', rows: 4, readonly: true }, item.reason)),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.#client.submit(withoutReason) },
          this.#text('send_without_reason'))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  #expired(item) {
    if (item.account !== this.#account || this.getAttribute('mode') === 'check') return;
    this.#renderForm(this.#text('expired', { date: this.#date(item.created) }));
  }

  #isoDate(seconds) { return new Date(seconds * 1000).toISOString().slice(0, 10); }

  #renderDone(receipt, text, report, index) {
    const statement = receipt.entry.statement;
    const file = `objection-receipt-${this.#isoDate(statement.created)}.json`;
    const verified = report != null;
    const command = `objector-verify receipt --log-key ${this.#logKey} ${file}`;
    const checkUrl = this.getAttribute('check-url');
    const checkLater = checkUrl
      ? h('a', { href: checkUrl }, this.#text('check_title'))
      : h('button', { type: 'button', class: 'link', onclick: () => this.setAttribute('mode', 'check') },
        this.#text('check_title'));
    const params = { controller: this.#controllerName, services: this.#serviceList(statement.services),
      date: this.#date(statement.created) };
    // What the platform itself states (discovery document), in this language: nothing else is claimed.
    const stated = (kind) => this.#discovered?.statements?.[kind]?.[this.#lang] ?? null;
    // In an app's webview the receipt goes to the app, and a print dialog may not exist.
    const inApp = appBridge() != null;
    const reference = this.#text('done_reference', { index });
    const checkAt = checkUrl ? new URL(checkUrl, globalThis.location?.href).href : this.#intakeUrl || globalThis.location?.origin;
    printOnlyTheWidget();
    this.#redraw = () => this.#renderDone(receipt, text, report, index);
    this.#show(h('section', { 'aria-labelledby': 'done', class: 'done' },
      // GOV.UK's confirmation panel: what happened, and the reference to quote.
      h('div', { class: 'panel' },
        h('h2', { id: 'done', tabindex: -1 }, this.#text(verified ? 'done_title' : 'done_unverified_title')),
        h('p', { class: 'reference' }, reference),
        h('p', {}, this.#text('done_when', { time: this.#dateTime(statement.created) }))),
      verified ? null : h('p', { class: 'alert', role: 'alert' }, this.#text('done_unverified_text')),
      report?.witnessed_time != null
        ? h('p', { class: 'witnessed' }, this.#text('done_witnessed',
          { count: report.cosignatures.length, time: this.#dateTime(report.witnessed_time) }))
        : null,
      h('h3', {}, this.#text('next_title')),
      h('p', {}, this.#text('done_applies', params)),
      stated('trained_models') ? h('p', { class: 'stated' }, stated('trained_models')) : null,
      stated('withdrawal') ? h('p', { class: 'stated' }, stated('withdrawal')) : null,
      h('p', {}, this.#text('done_private', params)),
      h('p', {}, this.#text('done_kept')),
      h('p', {}, this.#text('done_keep_private')),
      h('p', { class: 'actions' },
        inApp
          ? h('span', { class: 'saved' }, this.#text('saved_in_app'))
          : this.#download(text, file, this.#text('download'), { class: 'button primary' }),
        inApp ? null : h('button', { type: 'button', onclick: () => globalThis.print() }, this.#text('print'))),
      h('p', {}, this.#text('done_check'), ' ', checkLater),
      // What a printout shows (the print stylesheet hides the rest, and the host page).
      h('div', { class: 'print-record' },
        h('p', {}, reference),
        h('p', {}, this.#text('kept_item', { date: this.#dateTime(statement.created), services: params.services })),
        h('p', {}, this.#text('print_check', { url: checkAt }))),
      h('details', { class: 'verify' },
        h('summary', {}, this.#text('for_auditors')),
        h('p', {}, this.#text('auditors_text', { index, log: statement.controller })),
        h('p', {}, h('code', {}, command))),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })));
  }

  // --- checking a kept receipt ---
  async #renderCheck() {
    const input = h('input', { id: 'receipt-file', type: 'file', accept: '.json,application/json' });
    const answer = h('div', { class: 'answer-result', 'aria-live': 'polite' });
    const form = h('form', { novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      this.#clearFieldErrors(form);
      if (!input.files[0]) return this.#fieldError(form, 'receipt-file', this.#text('check_no_file'));
      this.#check(await input.files[0].text(), answer);
    } },
    h('div', { class: 'field' }, h('label', { for: 'receipt-file' }, this.#text('check_file')),
      h('p', { id: 'receipt-file-error', class: 'error-message' }), input),
    h('button', { type: 'submit', class: 'primary' }, this.#text('check_button')));
    const kept = await keptReceipts(this.#store, this.#shownAccount);
    this.#redraw = () => this.#renderCheck();
    this.#show(h('section', { 'aria-labelledby': 'check' },
      h('h2', { id: 'check', tabindex: -1 }, this.#text('check_title')),
      kept.length ? this.#keptList(kept) : null,
      form,
      answer,
      h('p', { class: 'alert', role: 'alert' }),
      h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }),
      h('div', { class: 'answer' })));
  }

  #keptList(kept) {
    return h('section', { 'aria-labelledby': 'kept', class: 'kept' },
      h('h3', { id: 'kept' }, this.#text('kept_title')),
      h('ul', {}, kept.map((r) => {
        const statement = JSON.parse(r.text).entry.statement;
        const label = this.#text('kept_item', { date: this.#date(statement.created),
          services: this.#serviceList(statement.services) });
        // Each receipt's result shows beside it.
        const result = h('div', { class: 'answer-result', 'aria-live': 'polite' });
        return h('li', {},
          h('span', {}, label, r.verified ? '' : ` (${this.#text('kept_unverified')})`),
          h('span', { class: 'actions' },
            h('button', { type: 'button', 'aria-label': `${this.#text('check_button')}: ${label}`,
              onclick: () => this.#check(r.text, result) }, this.#text('check_button')),
            this.#download(r.text, `objection-receipt-${this.#isoDate(statement.created)}.json`,
              this.#text('download'), { 'aria-label': `${this.#text('download')}: ${label}` }),
            h('button', { type: 'button', 'aria-label': `${this.#text('answer_challenge')}: ${label}`,
              onclick: () => this.#renderChallenge(r, label) }, this.#text('answer_challenge')),
            h('button', { type: 'button', class: 'secondary', 'aria-label': `${this.#text('remove')}: ${label}`,
              onclick: () => this.#remove(r, label) }, this.#text('remove'))),
          result);
      })));
  }

  async #remove(r, label) {
    if (!globalThis.confirm(this.#text('remove_confirm', { receipt: label }))) return;
    await removeReceipt(this.#store, r.leaf_hash);
    await this.#renderCheck();
    this.#status(this.#text('removed'));
  }

  // Proving authorship to someone (a regulator, a lawyer) without giving
  // them the device seed: sign the challenge they chose.
  #renderChallenge(r, label) {
    const box = this.#container().querySelector('.answer');
    const input = h('input', { id: 'challenge', type: 'text', maxlength: 1024, autocomplete: 'off' });
    const output = h('div', { class: 'proof' });
    const form = h('form', { onsubmit: async (e) => {
      e.preventDefault();
      this.#status('', 'alert');
      try {
        const core = await this.#ready();
        const proof = core.canonicalize(JSON.stringify(core.proveAuthorship(r.text, input.value)));
        const publicReceipt = core.canonicalize(JSON.stringify(core.publicReceipt(r.text)));
        output.replaceChildren(
          h('p', { role: 'status' }, this.#text('challenge_done')),
          h('p', { class: 'actions' },
            this.#download(proof, 'authorship-proof.json', this.#text('download_proof'), { class: 'button primary' }),
            this.#download(publicReceipt, 'public-receipt.json', this.#text('download_public'))));
      } catch (error) {
        this.#status(this.#errorText(error), 'alert');
      }
    } },
    h('div', { class: 'field' }, h('label', { for: 'challenge' }, this.#text('challenge_label')), input),
    h('button', { type: 'submit' }, this.#text('challenge_sign')));
    box.replaceChildren(h('h3', { id: 'answer', tabindex: -1 }, this.#text('answer_title', { receipt: label })),
      h('p', {}, this.#text('answer_text')), form, output);
    box.querySelector('h3').focus();
  }

  // Checks a receipt and says the result in `where`, in plain words; the
  // codes and log terms go under "Technical details".
  async #check(text, where) {
    where.replaceChildren(h('p', {}, this.#text('working')));
    const params = { controller: this.#controllerName };
    try {
      const core = await this.#ready();
      const r = await this.#after.checkReceipt({ core, client: this.#client, text, trust: this.#trust });
      const said = { ...params, date: this.#date(r.created), services: this.#serviceList(r.services) };
      this.#result(where, 'ok', this.#text(r.public ? 'check_genuine_public' : 'check_genuine', said),
        this.#text('check_details', { index: r.index, size: r.size, latest: r.latest }));
    } catch (error) {
      const key = { unreachable: 'check_unreachable', log: 'check_not_on_record' }[error.stage] ?? 'check_not_genuine';
      this.#result(where, error.stage === 'unreachable' ? 'unknown' : 'bad', this.#text(key, params),
        this.#text('check_details_error', { code: error.code ?? 'unknown', message: error.message }));
    }
  }

  #result(where, kind, message, details) {
    where.replaceChildren(
      h('p', { class: `result ${kind}` }, message),
      h('details', { class: 'technical' }, h('summary', {}, this.#text('technical_details')), h('p', {}, details)));
  }
}

// Safe to load twice.
if (!customElements.get('objection-form')) customElements.define('objection-form', ObjectionForm);
