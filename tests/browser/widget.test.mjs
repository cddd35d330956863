// <objection-form> in Debian's Chromium against a real objector-intake:
// the flow in every language (keyboard only in one), receipts that verify
// natively, axe-core on every screen in light and dark, the app bridges,
// objections kept per account through outages and expired sign-ins, receipts
// kept on the device, authorship answers, a cross-origin page under a strict
// CSP, and the page's CSP.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { bin, freePort, Intake, MailSink, root, witnessedIntake } from '../support/intake.mjs';

const LANGS = { 'en-GB': 'GB', 'pt-BR': 'BR', de: 'DE', fr: 'FR', es: 'ES', it: 'IT', nl: 'NL', pl: 'PL' };
const shots = join(root, 'tests/browser/screenshots');
mkdirSync(shots, { recursive: true });
const catalog = (lang) => JSON.parse(readFileSync(join(root, 'web/i18n', `${lang}.json`), 'utf8'));

let browser;
let intake;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  intake = new Intake();
  await intake.start();
});
after(async () => {
  await browser?.close();
  await intake?.stop();
  intake?.remove();
});

// A page that fails the test on any console error, page error or request to
// another origin.
async function open(path, { colorScheme = 'light', init, context: given, base = intake } = {}) {
  const context = given ?? await browser.newContext({ acceptDownloads: true, colorScheme });
  const page = await context.newPage();
  const problems = [];
  // axe-core itself sets inline styles while it measures contrast, which the
  // page's CSP rightly refuses: messages during axe runs are axe's, not ours.
  page.axeRunning = false;
  page.on('console', (m) => { if (m.type() === 'error' && !page.axeRunning) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base.url) && !r.url().startsWith('blob:')) problems.push(`request: ${r.url()}`); });
  if (init) await page.addInitScript(init);
  await page.goto(`${base.url}${path}`);
  return { page, context, problems };
}

async function axe(page, label) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    page.axeRunning = true;
    const result = await new AxeBuilder({ page }).include('objection-form').analyze().finally(() => {
      page.axeRunning = false;
    });
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `${label} ${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}



const form = (page) => page.locator('objection-form');
const heading = (page, text) => form(page).locator('h2', { hasText: text }).waitFor({ timeout: 20000 });
// Every objection-submitted event the page saw.
const recordEvents = () => {
  document.addEventListener('objection-submitted', (e) => (window.events ??= []).push(e.detail));
};
const demoAccount = (page) => page.evaluate(() => localStorage.getItem('objector-demo.account'));
const setToken = (page, token) => form(page).evaluate((el, t) => { el.accountToken = t; }, token);
const online = (page) => page.evaluate(() => window.dispatchEvent(new Event('online')));
// Submits with the intake unreachable: the objection waits on the device.
async function submitOffline(page, t) {
  await page.route('**/v1/objections', (route) => route.abort('internetdisconnected'));
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.waiting_title);
}

test('objects in every language, keyboard only in en-GB; receipts verify natively; the page gets no secret', async () => {
  for (const [lang, jurisdiction] of Object.entries(LANGS)) {
    const t = catalog(lang);
    const { page, context, problems } = await open(`/?lang=${lang}&jurisdiction=${jurisdiction}`, { init: recordEvents });
    await heading(page, t.title);
    // Loading does not take focus (WCAG 2.4.3): the person tabs into the widget.
    assert.equal(await form(page).locator('h2').evaluate((h) => h.getRootNode().activeElement === h), false, 'no focus on load');
    assert.equal(await form(page).locator('input[type=email]').count(), 0, 'no e-mail field');
    assert.equal(await form(page).locator('#reason').isVisible(), false, 'the reason is behind a disclosure');
    await axe(page, `${lang} form`);
    await page.screenshot({ path: join(shots, `form-${lang}.png`), fullPage: true });
    if (lang === 'en-GB') {
      // From the page's own controls into the widget: two services, the reason's disclosure, the button.
      const onButton = () => form(page).locator('button[type=submit]').evaluate((b) => b.getRootNode().activeElement === b);
      for (let i = 0; i < 12 && !(await onButton()); i++) await page.keyboard.press('Tab');
      assert.equal(await onButton(), true);
      await page.keyboard.press('Enter');
    } else {
      await form(page).locator('summary').click();
      await form(page).locator('#reason').fill('Ich bin Fotografin.');
      await form(page).locator('button[type=submit]').click();
    }
    await heading(page, t.done_title);
    // Plain words: display names, what happens next, where the receipt is.
    await form(page).locator('p', { hasText: format(t.done_private, { controller: 'Social Example' }) }).waitFor();
    assert.equal(await form(page).locator('.done').textContent().then((x) => x.includes('facebook')), false, 'display names');
    assert.equal(await form(page).locator('details.verify code').isVisible(), false, 'the command is for auditors');
    await axe(page, `${lang} receipt`);
    const download = page.waitForEvent('download');
    if (lang === 'en-GB') {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    } else {
      await form(page).locator('a[download]').click();
    }
    const file = await download;
    await form(page).locator('details.verify summary').click();
    await axe(page, `${lang} receipt, auditors open`);
    await page.screenshot({ path: join(shots, `done-${lang}.png`), fullPage: true });
    assert.match(file.suggestedFilename(), /^objection-receipt-\d{4}-\d{2}-\d{2}\.json$/);
    const path = join(shots, `receipt-${lang}.json`);
    await file.saveAs(path);
    assert.match(intake.verify(path), /verified: objection \d+ in social\.example\/ai-training/);
    const receipt = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(receipt.entry.statement.lang, lang);
    assert.equal(receipt.entry.statement.jurisdiction, jurisdiction);
    assert.deepEqual(receipt.entry.statement.purposes, ['train-ai']);
    // The DOM event carries the public receipt only.
    const events = await page.evaluate(() => window.events);
    assert.equal(events.length, 1);
    assert.deepEqual(Object.keys(events[0]).sort(), ['index', 'leaf_hash', 'receipt', 'verified']);
    assert.deepEqual(Object.keys(events[0].receipt).sort(), ['entry', 'proof', 'type']);
    assert.equal(events[0].receipt.type, 'objection-public-receipt/v1');
    assert.equal(JSON.stringify(events).includes(receipt.device_seed), false);
    assert.equal(JSON.stringify(events).includes(receipt.opening.r), false);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

const format = (template, params) => template.replace(/\{(\w+)\}/g, (_, k) => params[k]);

test('a log with two witnesses: the receipt says they confirmed it, and when, in every language', async () => {
  const { intake: witnessed, witnesses, policy } = await witnessedIntake();
  try {
    for (const [lang, jurisdiction] of Object.entries(LANGS)) {
      const t = catalog(lang);
      const { page, context, problems } = await open(`/?lang=${lang}&jurisdiction=${jurisdiction}`, { base: witnessed });
      await heading(page, t.title);
      assert.equal(await form(page).getAttribute('policy'), policy, 'the demo page passes the policy');
      await form(page).locator('button[type=submit]').click();
      await heading(page, t.done_title);
      const line = form(page).locator('p.witnessed');
      const [before, after] = t.done_witnessed.split('{time}');
      assert.ok((await line.textContent()).startsWith(format(before, { count: 2 })), lang);
      assert.ok((await line.textContent()).endsWith(after), lang);
      await axe(page, `${lang} witnessed receipt`);
      if (lang === 'en-GB') await page.screenshot({ path: join(shots, 'done-witnessed-en-GB.png'), fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    }
    // One objection per language, each answered once its checkpoint had both cosignatures.
    assert.equal(await witnessed.treeSize(), Object.keys(LANGS).length);
  } finally {
    await witnessed.stop();
    witnessed.remove();
    for (const w of witnesses) await w.stop();
  }
});

test('the form is usable before the core arrives; a submission made meanwhile completes exactly once', async () => {
  const t = catalog('en-GB');
  let release;
  const held = new Promise((r) => { release = r; });
  const context = await browser.newContext();
  await context.route('**/objector-core.wasm', async (route) => {
    await held;  // the test holds the wasm until the form has been used
    await route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${intake.url}/?jurisdiction=GB`);
  await heading(page, t.title);
  const before = await intake.treeSize();
  assert.equal(await form(page).locator('button[type=submit]').isEnabled(), true);
  await form(page).locator('summary').click();  // the rest of the form works too
  await form(page).locator('#reason').fill('before the core');
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=status]', { hasText: t.preparing }).waitFor();
  assert.equal(await intake.treeSize(), before);
  release();
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

// Issue 21: a press made before the core could be fetched is kept on the
// device, said so, and signed and sent once the core loads: on this page
// (Try again now, or by itself), or when the page is opened again.
// Presses Object on a page whose core cannot be fetched (with `reason`, if
// given): the waiting screen. Returns the page, its context and the tree size before.
async function pressWithoutCore(t, reason) {
  const context = await browser.newContext();
  await context.route('**/objector-core.wasm', (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  await page.goto(`${intake.url}/?jurisdiction=GB`);
  await heading(page, t.title);
  const before = await intake.treeSize();
  if (reason) {
    await form(page).locator('summary').click();
    await form(page).locator('#reason').fill(reason);
  }
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.waiting_title);
  return { page, context, before };
}

test('a press made while the core cannot be fetched is saved and sent once, when the core loads', async () => {
  const t = catalog('en-GB');
  const { page, context, before } = await pressWithoutCore(t);
  await form(page).locator('p', { hasText: 'before this page had loaded what it needs to sign your objection' }).waitFor();
  await axe(page, 'press saved before the core');
  assert.equal(await intake.treeSize(), before);
  await context.unroute('**/objector-core.wasm');
  await form(page).getByRole('button', { name: t.try_now }).click();
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

test('a press saved before the core arrived is sent once when the page is opened again', async () => {
  const t = catalog('en-GB');
  const { page, context, before } = await pressWithoutCore(t, 'pressed before the core');
  await page.close();
  await context.unroute('**/objector-core.wasm');
  const again = await context.newPage();
  await again.goto(`${intake.url}/?jurisdiction=GB`);
  await heading(again, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await again.reload();
  await heading(again, t.remembered_title);
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

// Issue 22: on a cold page opening IndexedDB is the element's slowest step,
// so a signed-in person gets the form before the device's store is open.
// Holds every IndexedDB open's success until the page calls releaseStore().
const holdDeviceStore = () => {
  const open = IDBFactory.prototype.open;
  const held = new Promise((resolve) => { window.releaseStore = resolve; });
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    let handler = null;
    Object.defineProperty(request, 'onsuccess', { configurable: true, get: () => handler, set: (h) => { handler = h; } });
    request.addEventListener('success', (event) => held.then(() => handler?.call(request, event)));
    return request;
  };
};

test('the form is there before the device\'s store opens; a press then is sent once; a return shows where one stands', async () => {
  const t = catalog('en-GB');
  const { page, context, problems } = await open('/?jurisdiction=GB', { init: holdDeviceStore });
  await heading(page, t.title);
  assert.equal(await page.evaluate(() => performance.getEntriesByName('objection-form:interactive').length), 1);
  const before = await intake.treeSize();
  await form(page).locator('summary').click();
  await form(page).locator('#reason').fill('pressed before the store opened');
  await form(page).locator('button[type=submit]').click();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await intake.treeSize(), before);  // it waits for the store, where a press is kept
  await page.evaluate(() => window.releaseStore());
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await page.reload();
  await heading(page, t.title);  // the form first, the store still held
  await page.evaluate(() => window.releaseStore());
  await heading(page, t.remembered_title);
  await form(page).locator('li a[download]').waitFor();
  assert.equal(await intake.treeSize(), before + 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('configured from the discovery document alone', async () => {
  const t = catalog('en-GB');
  const { page, context, problems } = await open('/?discovery=1&jurisdiction=GB');
  await heading(page, t.title);
  assert.equal(await form(page).getAttribute('controller'), null);
  await form(page).locator('summary').click();
  await form(page).locator('p#reason-purpose', { hasText: '90 days' }).waitFor();  // reason_days from discovery
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.done_title);
  const download = page.waitForEvent('download');
  await form(page).locator('a[download]').click();
  const path = join(shots, 'receipt-discovery.json');
  await (await download).saveAs(path);
  assert.match(intake.verify(path), /verified: objection \d+ in social\.example\/ai-training/);
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue 23: errors where the person looks (GOV.UK's pattern): under the
// field's label, the field invalid and described by it, focus on it; nothing
// invalid before anyone chose; a choice for people the form is not for.
test('asks for the country when the host does not say; errors where the person looks', async () => {
  const t = catalog('de');
  const { page, context, problems } = await open('/?lang=de');
  await heading(page, t.title);
  const country = form(page).locator('#country');
  const focused = (locator) => locator.evaluate((el) => el.getRootNode().activeElement === el);
  assert.equal(await country.getAttribute('aria-invalid'), null);
  assert.equal(await country.getAttribute('required'), null);
  await form(page).locator('button[type=submit]').click();
  const error = form(page).locator('#country-error');
  await error.filter({ hasText: t['error.no_country'] }).waitFor();
  assert.equal(await error.textContent(), `${t.error_prefix} ${t['error.no_country']}`);
  assert.equal(await country.getAttribute('aria-invalid'), 'true');
  assert.equal(await country.getAttribute('aria-describedby'), 'country-error basis');
  assert.equal(await focused(country), true);
  assert.equal(await form(page).locator('p.alert').textContent(), '');  // not a message above the button
  await axe(page, 'country missing');
  await country.selectOption('not-listed');
  await form(page).locator('.basis', { hasText: t.country_not_listed_text.split('{controller}')[0] }).waitFor();
  await form(page).locator('button[type=submit]').click();
  await error.filter({ hasText: t['error.country_not_listed'] }).waitFor();
  await country.selectOption('BR');
  await form(page).locator('.basis', { hasText: t['basis.lgpd:art18-2'] }).waitFor();
  await axe(page, 'country chooser');
  // No service chosen: the error is the group's, focus on its first choice.
  for (const box of await form(page).locator('input[name=service]').all()) await box.uncheck();
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('#services-error', { hasText: t['error.no_services'] }).waitFor();
  assert.equal(await country.getAttribute('aria-invalid'), null);  // the country's error went
  assert.equal(await form(page).locator('fieldset').getAttribute('aria-describedby'), 'services-error');
  assert.equal(await focused(form(page).locator('input[name=service]').first()), true);
  await form(page).locator('input[name=service]').first().check();
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.done_title);
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue 21: a <summary> shows its disclosure marker, so "Add something about
// your situation (optional)" and the auditors' details look pressable.
test('every disclosure shows its marker', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await heading(page, t.title);
  const markers = () => form(page).locator('summary').evaluateAll((all) => all.map((s) => {
    const marker = getComputedStyle(s, '::marker');
    return { display: getComputedStyle(s).display, marker: marker.content };
  }));
  assert.deepEqual(await markers(), [{ display: 'list-item', marker: 'normal' }]);
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.done_title);
  assert.deepEqual(await markers(), [{ display: 'list-item', marker: 'normal' }]);
  await context.close();
});

test('the app bridges receive the full receipt once; a frame gets the public one', async () => {
  const stubs = {
    ios: () => { window.webkit = { messageHandlers: { objector: { postMessage: (r) => (window.got ??= []).push(r) } } }; },
    android: () => { window.ObjectorBridge = { postMessage: (s) => (window.got ??= []).push(JSON.parse(s)) }; },
  };
  for (const [name, init] of Object.entries(stubs)) {
    const { page, context } = await open('/?jurisdiction=GB', { init });
    await form(page).locator('button[type=submit]').click();
    await heading(page, catalog('en-GB').done_title);
    const got = await page.evaluate(() => window.got);
    assert.equal(got.length, 1, name);
    // The buttons say what the app does; no print dialog that cannot work in a webview.
    await form(page).locator('.actions .saved', { hasText: catalog('en-GB').saved_in_app }).waitFor();
    assert.equal(await form(page).getByRole('button', { name: catalog('en-GB').print }).count(), 0, name);
    assert.equal(await form(page).locator('.actions a[download]').count(), 0, name);
    assert.equal(got[0].type, 'objection-receipt/v1', name);
    assert.equal(typeof got[0].device_seed, 'string', name);
    await context.close();
  }
  // The frame bridge: the in-app view hosts the page in a frame.
  const { page, context } = await open('/app.html');
  const frame = page.frameLocator('#app');
  await frame.locator('objection-form button[type=submit]').click();
  await page.locator('#received', { hasText: 'Receipt received' }).waitFor();
  const received = await page.evaluate(() => window.receivedReceipts);
  assert.equal(received.length, 1);
  assert.equal(received[0].type, 'objection-public-receipt/v1');
  assert.equal(received[0].device_seed, undefined);
  await context.close();
});

test('offline, then the sign-in expires: the objection waits and is sent once with a fresh token', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').waitFor();
  const account = await demoAccount(page);
  const before = await intake.treeSize();
  await submitOffline(page, t);
  assert.equal(await form(page).locator('button[type=submit]').count(), 0, 'no second objection meanwhile');
  await axe(page, 'waiting');
  await page.screenshot({ path: join(shots, 'waiting.png'), fullPage: true });
  // Nothing secret in the page's storage but the pending objection itself: no token.
  const stored = await page.evaluate(() => new Promise((done) => {
    indexedDB.open('objector').onsuccess = (e) => {
      e.target.result.transaction('pending').objectStore('pending').getAll().onsuccess = (r) => done(r.target.result);
    };
  }));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].account, account);
  assert.equal('token' in stored[0], false);
  assert.equal(JSON.stringify(stored).includes('.'), true);  // entry text, not a token
  const expired = intake.token(account, '1s');
  await new Promise((r) => setTimeout(r, 1500));
  await setToken(page, expired);
  await page.unroute('**/v1/objections');
  await online(page);
  await form(page).locator('p', { hasText: 'when you sign in again' }).waitFor();
  // Trying again cannot help before a sign-in: no Try again now, the expiry said instead.
  await form(page).locator('.notice h3', { hasText: t.signin_expired_title }).waitFor();
  assert.equal(await form(page).getByRole('button', { name: t.try_now }).count(), 0);
  assert.equal(await intake.treeSize(), before);
  await setToken(page, intake.token(account));
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await online(page);  // nothing left to send
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

// Issue 23: the widget does not take over the page. Below the fold, loading
// it neither scrolls the page nor takes focus (WCAG 2.4.3); its container
// carries the language it shows (WCAG 3.1.2); focus moves after a press inside it.
test('the widget does not take over the page: no scroll or focus on load, its own lang', async () => {
  const t = catalog('en-GB');
  const de = catalog('de');
  const { page, context, problems } = await open('/?jurisdiction=GB', { init: () => {
    document.addEventListener('DOMContentLoaded', () => {
      const spacer = document.createElement('div');
      spacer.style.height = '3000px';
      document.body.prepend(spacer);
    });
  } });
  await heading(page, t.title);
  await page.waitForFunction(() => performance.getEntriesByName('objection-form:core-ready').length > 0);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.localName), 'body');
  assert.equal(await form(page).locator('.objector').getAttribute('lang'), 'en-GB');
  await form(page).evaluate((el) => el.setAttribute('lang', 'de'));
  await heading(page, de.title);
  assert.equal(await form(page).locator('.objector').getAttribute('lang'), 'de');
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  await form(page).locator('button[type=submit]').click();
  await heading(page, de.done_title);
  assert.equal(await form(page).locator('h2').evaluate((el) => el.getRootNode().activeElement === el), true);
  // Link-styled buttons are as tall as buttons (a page without check-url gets one).
  await form(page).evaluate((el) => { el.removeAttribute('check-url'); el.setAttribute('lang', 'en-GB'); });
  await heading(page, t.done_title);
  const height = (locator) => locator.evaluate((el) => getComputedStyle(el).minHeight);
  assert.equal(await height(form(page).locator('button.link')), '44px');
  assert.equal(await height(form(page).getByRole('button', { name: t.print })), '44px');
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue 23: the reason cannot break the objection. Counted as the intake
// counts it (UTF-8 bytes), refused before signing with the text kept; if the
// intake still refuses it, the objection goes without it.
test('a long reason in a multi-byte language is counted in bytes, refused before signing, and never lost', async () => {
  const pl = catalog('pl');
  const { page, context } = await open('/?lang=pl&jurisdiction=PL');
  await heading(page, pl.title);
  const before = await intake.treeSize();
  await form(page).locator('summary').click();
  const text = 'Jestem fotografką. Źródło żółci. '.repeat(58);  // 1,914 characters, 2,320 bytes
  await form(page).locator('#reason').fill(text);
  const over = new TextEncoder().encode(text).length - 2000;
  const perChar = new TextEncoder().encode(text).length / [...text].length;
  await form(page).locator('#reason-count', { hasText: pl.reason_over.replace('{count}', String(Math.floor(over / perChar) + 1)) }).waitFor();
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('#reason-error', { hasText: pl['error.reason_too_long'].split('{count}')[0] }).waitFor();
  assert.equal(await form(page).locator('#reason').getAttribute('aria-invalid'), 'true');
  assert.equal(await form(page).locator('#reason').inputValue(), text);  // kept
  assert.equal(await intake.treeSize(), before);  // nothing signed or sent
  await axe(page, 'reason too long');
  // Within the limit in bytes: sent.
  await form(page).locator('#reason').fill(text.slice(0, 1500));
  await form(page).locator('#reason-count', { hasText: pl.reason_count.split('{count}')[1].trim() }).waitFor();
  await form(page).locator('button[type=submit]').click();
  await heading(page, pl.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

test('a reason the intake refuses is kept to copy, and the objection goes without it', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await heading(page, t.title);
  await form(page).evaluate((el) => el.setAttribute('reason-max-bytes', '100000'));  // a page that thinks it may send more
  await form(page).locator('summary').click();
  const text = 'x'.repeat(2100);
  await form(page).locator('#reason').fill(text);
  const before = await intake.treeSize();
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.reason_refused_title);
  assert.equal(await form(page).locator('#kept-reason').inputValue(), text);
  await axe(page, 'reason refused');
  await form(page).getByRole('button', { name: t.send_without_reason }).click();
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

// Issue 23: the done screen is a record. A confirmation panel with the
// reference and the time; what happens next, with what the platform states
// and nothing it did not; a printout of the widget's record, not the host page.
test('the done screen is a record: reference, what happens next as the platform states it, and a printout', async () => {
  const t = catalog('en-GB');
  const stating = new Intake((c) => {
    c.discovery = { statements: {
      trained_models: { 'en-GB': 'Models trained before your objection are not retrained.' },
      withdrawal: { 'en-GB': 'To withdraw your objection, write to privacy@social.example.' },
    } };
  });
  await stating.start();
  try {
    const { page, context, problems } = await open('/?discovery=1&jurisdiction=GB', { init: recordEvents, base: stating });
    await form(page).locator('button[type=submit]').click();
    await heading(page, t.done_title);
    const [event] = await page.evaluate(() => window.events);
    await form(page).locator('.panel .reference', { hasText: `Your reference: ${event.index}` }).waitFor();
    await form(page).locator('.panel p', { hasText: /^Logged on / }).waitFor();
    await form(page).locator('h3', { hasText: t.next_title }).waitFor();
    await form(page).locator('p.stated', { hasText: 'Models trained before your objection are not retrained.' }).waitFor();
    await form(page).locator('p.stated', { hasText: 'To withdraw your objection, write to privacy@social.example.' }).waitFor();
    await form(page).locator('p', { hasText: t.done_keep_private }).waitFor();
    await axe(page, 'done, a record');
    // Printed: the widget's record; the host page and the buttons are not.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#who').evaluate((el) => getComputedStyle(el).visibility), 'hidden');
    assert.equal(await form(page).locator('.print-record').isVisible(), true);
    await form(page).locator('.print-record p', { hasText: `Your reference: ${event.index}` }).waitFor();
    await form(page).locator('.print-record p', { hasText: /^Check it at http/ }).waitFor();
    assert.equal(await form(page).locator('.actions').isVisible(), false);
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await form(page).locator('.print-record').isVisible(), false);
    assert.deepEqual(problems, []);
    await context.close();
    // A platform that states nothing: the widget claims nothing.
    const { page: plain, context: plainContext } = await open('/?jurisdiction=GB');
    await plain.locator('objection-form button[type=submit]').click();
    await heading(plain, t.done_title);
    assert.equal(await form(plain).locator('p.stated').count(), 0);
    await plainContext.close();
  } finally {
    await stating.stop();
    stating.remove();
  }
});

// Issue 23: it remembers. After objecting, a language switch redraws the
// screen on show, a reload says where the person stands from the receipt
// kept here, and another device (nothing kept) from the log; objecting again
// for another service stays possible.
test('after objecting, a language switch, a reload and another device show where the person stands', async () => {
  const t = catalog('en-GB');
  const de = catalog('de');
  const { page, context, problems } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.done_title);
  await form(page).evaluate((el) => el.setAttribute('lang', 'de'));
  await heading(page, de.done_title);
  await form(page).evaluate((el) => el.setAttribute('lang', 'en-GB'));
  await heading(page, t.done_title);
  await page.reload();
  await heading(page, t.remembered_title);
  await form(page).locator('li p', { hasText: /^You objected on .+ for Facebook and Instagram\.$/ }).waitFor();
  assert.equal(await form(page).locator('li a[download]').count(), 1);
  await axe(page, 'remembered');
  const account = await demoAccount(page);
  const other = await browser.newContext();
  await other.addInitScript((a) => localStorage.setItem('objector-demo.account', a), account);
  const { page: there, problems: thereProblems } = await open('/?jurisdiction=GB', { context: other });
  await heading(there, t.remembered_title);
  await form(there).locator('li p.hint', { hasText: t.remembered_elsewhere }).waitFor();
  await form(there).getByRole('button', { name: t.object_other }).click();
  await heading(there, t.title);
  assert.deepEqual([...problems, ...thereProblems], []);
  await other.close();
  await context.close();
});

// Issue 23: the waiting screen tells the truth: not sent, not counting yet;
// offline told apart from a platform that does not answer; kept trying while
// the page is open and when it is reopened; Try again now says it tried.
test('the waiting screen says what is true: offline or not answering, and when it tries next', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').waitFor();
  await submitOffline(page, t);
  const cause = form(page).locator('p.cause');
  assert.equal(await cause.textContent(), t.waiting_cause_unreachable.replace('{controller}', 'Social Example'));
  await form(page).locator('p', { hasText: 'has not reached Social Example yet, so it does not count yet' }).waitFor();
  assert.equal(await form(page).locator('p', { hasText: 'even if you close this page' }).count(), 0);
  const tryNow = form(page).getByRole('button', { name: t.try_now });
  await tryNow.click();
  await form(page).locator('[role=status]', { hasText: /^Tried again at .+: not sent yet\. Next try at .+\.$/ }).waitFor();
  assert.equal(await tryNow.evaluate((el) => el.getRootNode().activeElement === el), true);  // focus stayed
  await context.setOffline(true);
  await tryNow.click();
  await cause.filter({ hasText: t.waiting_cause_offline }).waitFor();
  await axe(page, 'waiting, offline');
  await context.setOffline(false);
  await page.unroute('**/v1/objections');
  // Back online the widget tries at once by itself; if that try came before
  // the route went, Try again now sends it (the button goes when it is sent).
  if (await tryNow.isVisible()) await tryNow.click({ timeout: 5000 }).catch(() => {});
  await heading(page, t.done_title);
  await context.close();
});

// Issue 23: signing in is part of the flow. The form says so before anyone
// presses anything, offers the page's signin-url, and tells the host with a
// cancelable objection-signin-needed event (an app that cancels it signs the
// person in itself); a sign-in that expires on screen is said at once.
test('without a sign-in, or with an expired one, the form says so before anyone presses, and how to sign in', async () => {
  const t = catalog('en-GB');
  const { page, context, problems } = await open('/?jurisdiction=GB', { init: () => {
    document.addEventListener('objection-signin-needed', (e) => (window.signins ??= []).push(e.detail.reason));
  } });
  await heading(page, t.title);
  const account = await demoAccount(page);
  assert.equal(await form(page).locator('.notice').count(), 0);
  await form(page).evaluate((el) => el.setAttribute('signin-url', '/signin?back=objection'));
  await setToken(page, null);
  await form(page).locator('.notice h3', { hasText: t.signin_needed_title }).waitFor();
  assert.equal(await form(page).locator('#signin-link').getAttribute('href'), '/signin?back=objection');
  assert.equal(await form(page).locator('#signin-link').textContent(), t.signin);
  assert.deepEqual(await page.evaluate(() => window.signins), ['missing']);
  await axe(page, 'signed out');
  await form(page).locator('button[type=submit]').click();  // pressed anyway: the way to sign in gets the focus
  assert.equal(await form(page).locator('#signin-link').evaluate((el) => el.getRootNode().activeElement === el), true);
  // Signed in with a token that expires while the form is on screen; the choices made stay.
  await setToken(page, intake.token(account, '2s'));
  await form(page).locator('.notice').waitFor({ state: 'detached' });
  await form(page).locator('input[name=service]').first().uncheck();
  await form(page).locator('.notice h3', { hasText: t.signin_expired_title }).waitFor({ timeout: 5000 });
  assert.equal(await form(page).locator('input[name=service]').first().isChecked(), false);
  assert.deepEqual(await page.evaluate(() => window.signins), ['missing', 'expired']);
  // An app that signs people in itself cancels the event: no link.
  await page.evaluate(() => document.addEventListener('objection-signin-needed', (e) => e.preventDefault()));
  await setToken(page, null);
  await form(page).locator('.notice h3', { hasText: t.signin_needed_title }).waitFor();
  assert.equal(await form(page).locator('#signin-link').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('another account signs in: nothing of the first is shown or sent; it is sent later with its own token', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB', { init: recordEvents });
  await form(page).locator('button[type=submit]').waitFor();
  const ana = await demoAccount(page);
  const before = await intake.treeSize();
  await submitOffline(page, t);
  await setToken(page, null);  // signed out: told that something waits, nothing about it
  await form(page).locator('[role=status]', { hasText: t.waiting_signed_out }).waitFor();
  await setToken(page, intake.token('demo:b0b0b0b0b0b0'));
  // The form, for the other account (signed in: the sign-in notice goes with the signed-out screen).
  await form(page).locator('.notice').waitFor({ state: 'detached' });
  await heading(page, t.title);
  assert.equal(await form(page).locator('[role=status]').textContent(), '');
  await page.unroute('**/v1/objections');
  await online(page);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await intake.treeSize(), before, 'not sent with the other account');
  assert.equal(await form(page).locator('h2', { hasText: t.waiting_title }).count(), 0);
  assert.equal(await page.evaluate(() => window.events?.length ?? 0), 0);
  await form(page).evaluate((el) => el.setAttribute('mode', 'check'));  // the other account's kept receipts: none
  await heading(page, t.check_title);
  assert.equal(await form(page).locator('.kept').count(), 0);
  await page.goto(`${intake.url}/?jurisdiction=GB`);  // back as the first account
  await heading(page, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  assert.equal(await demoAccount(page), ana);
  await context.close();
});

test('intake killed during the submission: the reopened page delivers it once', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').waitFor();
  // The widget's files are served by the intake here; on a real site they come
  // from the platform's pages: let the core arrive before the intake dies.
  await page.waitForFunction(() => performance.getEntriesByName('objection-form:core-ready').length > 0);
  const before = await intake.treeSize();
  await intake.stop();
  try {
    await form(page).locator('button[type=submit]').click();
    await heading(page, t.waiting_title);
    await page.close();
  } finally {
    await intake.start();
  }
  const { page: again } = await open('/?jurisdiction=GB', { context });
  await heading(again, t.done_title);
  assert.equal(await intake.treeSize(), before + 1);
  await context.close();
});

test('a receipt the page cannot verify (wrong log-key) is kept and downloadable', async () => {
  const t = catalog('en-GB');
  const other = new Intake();
  try {
    const { page, context } = await open('/?jurisdiction=GB');
    await page.route('**/demo/config.json', async (route) => {
      const config = await (await route.fetch()).json();
      route.fulfill({ json: { ...config, log_key: other.vkey } });
    });
    await page.reload();
    await form(page).locator('button[type=submit]').click();
    await heading(page, t.done_unverified_title);
    await axe(page, 'unverified receipt');
    await page.screenshot({ path: join(shots, 'done-unverified.png'), fullPage: true });
    const download = page.waitForEvent('download');
    await form(page).locator('a[download]').click();
    const path = join(shots, 'receipt-unverified.json');
    await (await download).saveAs(path);
    assert.match(intake.verify(path), /verified: objection \d+/);  // with the right key it does
    await page.unroute('**/demo/config.json');
    await page.goto(`${intake.url}/?mode=check`);
    await heading(page, t.check_title);
    await form(page).locator('.kept li', { hasText: t.kept_unverified }).waitFor();
    await context.close();
  } finally {
    other.remove();
  }
});

test('a definitive refusal says why and keeps what was signed downloadable', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').waitFor();
  await form(page).evaluate((el) => el.setAttribute('controller', 'other.example/log'));
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.rejected_title);
  await form(page).locator('[role=alert]', { hasText: t['error.wrong_controller'] }).waitFor();
  await axe(page, 'rejected');
  const download = page.waitForEvent('download');
  await form(page).locator('a[download]').click();
  const entry = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  assert.equal(entry.statement.controller, 'other.example/log');
  await form(page).locator('button', { hasText: t.object_again }).click();
  await heading(page, t.title);
  await context.close();
});

test('check mode lists kept receipts, checks them, answers a challenge, removes them', async () => {
  const t = catalog('en-GB');
  const { page, context, problems } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').click();
  await heading(page, t.done_title);
  await form(page).locator('a', { hasText: t.check_title }).click();  // the done screen's link
  await heading(page, t.check_title);
  const item = form(page).locator('.kept li');
  assert.equal(await item.count(), 1);
  await item.locator('button', { hasText: t.check_button }).click();
  // The result beside the receipt it is about, in plain words; the log's terms under Technical details.
  await item.locator('.result.ok', { hasText: /^Genuine: you objected on .+ to Social Example for .+; it is still on record\.$/ }).waitFor();
  await item.locator('details.technical summary', { hasText: t.technical_details }).click();
  await item.locator('details.technical p', { hasText: /^Entry \d+ of the log, under a checkpoint of \d+ entries/ }).waitFor();
  await axe(page, 'check with kept receipts');
  await item.locator('button', { hasText: t.answer_challenge }).click();
  await form(page).locator('#challenge').fill('case 2026-114');
  await form(page).locator('button', { hasText: t.challenge_sign }).click();
  await form(page).locator('[role=status]', { hasText: t.challenge_done }).waitFor();
  await axe(page, 'challenge answered');
  await page.screenshot({ path: join(shots, 'check-kept.png'), fullPage: true });
  const files = {};
  for (const [label, name] of [[t.download_proof, 'proof'], [t.download_public, 'public']]) {
    const download = page.waitForEvent('download');
    await form(page).locator('.answer a', { hasText: label }).click();
    files[name] = join(shots, `authorship-${name}.json`);
    await (await download).saveAs(files[name]);
  }
  const publicReceipt = JSON.parse(readFileSync(files.public, 'utf8'));
  assert.deepEqual(Object.keys(publicReceipt).sort(), ['entry', 'proof', 'type']);
  const out = execFileSync(bin('objector-verify'), ['authorship', '--log-key', intake.vkey, '--challenge', 'case 2026-114',
    files.proof, files.public]).toString();
  assert.match(out, /^verified: the device key of objection \d+/);
  // The public receipt checks in the page too, and says what it does not show.
  await form(page).locator('#receipt-file').setInputFiles(files.public);
  await form(page).locator('form:has(#receipt-file) button[type=submit]').click();
  await form(page).locator('.answer-result .result.ok', { hasText: 'It does not show who made it.' }).waitFor();
  assert.equal(await item.locator('button', { hasText: t.remove }).getAttribute('class'), 'secondary');
  page.once('dialog', (d) => d.accept());
  await item.locator('button', { hasText: t.remove }).click();
  await form(page).locator('[role=status]', { hasText: t.removed }).waitFor();
  assert.equal(await form(page).locator('.kept').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue 23: check mode in plain words, in the page's language; no file: said where the person looks.
test('checks a receipt file against the live log, in plain words and the page\'s language', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?mode=check');
  await heading(page, t.check_title);
  await axe(page, 'check');
  await form(page).locator('form:has(#receipt-file) button[type=submit]').click();
  await form(page).locator('#receipt-file-error', { hasText: t.check_no_file }).waitFor();
  assert.equal(await form(page).locator('#receipt-file').getAttribute('aria-invalid'), 'true');
  await form(page).locator('#receipt-file').setInputFiles(join(shots, 'receipt-en-GB.json'));
  await form(page).locator('button[type=submit]').click();
  const result = form(page).locator('.answer-result .result');
  await result.filter({ hasText: 'it is still on record.' }).waitFor();
  assert.equal(await form(page).locator('#receipt-file').getAttribute('aria-invalid'), null);
  const bad = JSON.parse(readFileSync(join(shots, 'receipt-en-GB.json'), 'utf8'));
  bad.opening.account = 'user:someone-else';
  const badFile = { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) };
  await form(page).locator('#receipt-file').setInputFiles(badFile);
  await form(page).locator('button[type=submit]').click();
  await result.filter({ hasText: t.check_not_genuine.replace('{controller}', 'Social Example') }).waitFor();
  await axe(page, 'check, changed file');
  await page.screenshot({ path: join(shots, 'check.png'), fullPage: true });
  await context.close();
  // In Portuguese, nothing of the core's English text but under Technical details.
  const pt = catalog('pt-BR');
  const { page: br, context: brContext } = await open('/?mode=check&lang=pt-BR');
  await heading(br, pt.check_title);
  await form(br).locator('#receipt-file').setInputFiles(badFile);
  await form(br).locator('button[type=submit]').click();
  const said = form(br).locator('.answer-result .result.bad');
  await said.filter({ hasText: pt.check_not_genuine.replace('{controller}', 'Social Example') }).waitFor();
  assert.equal(await form(br).locator('.answer-result details.technical summary').textContent(), pt.technical_details);
  await brContext.close();
});

test('a page on another origin with a strict CSP embeds the widget from the intake', async () => {
  const pagePort = await freePort();
  const pageOrigin = `http://localhost:${pagePort}`;
  const remote = new Intake((c) => { c.cors.allowed_origins = [pageOrigin]; });
  await remote.start();
  const csp = `default-src 'none'; script-src ${remote.url} 'wasm-unsafe-eval'; style-src ${remote.url}; ` +
    `connect-src ${remote.url}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const token = remote.token('user:cross-origin');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Settings</title>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script type="module" src="${remote.url}/objection-form.js"></script></head>
<body><main><h1>Privacy</h1><objection-form intake="${remote.url}" controller="social.example/ai-training"
 controller-name="Social Example" service-names="facebook=Facebook Feed,instagram=Instagram Reels"
 log-key="${remote.vkey}" jurisdiction="GB" account-token="${token}"></objection-form>
</main></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((done) => server.listen(pagePort, 'localhost', done));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(remote.url) && !r.url().startsWith(pageOrigin)) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pageOrigin);
    await heading(page, catalog('en-GB').title);
    await form(page).locator('label', { hasText: 'Instagram Reels' }).waitFor();  // service-names
    await form(page).locator('button[type=submit]').click();
    await heading(page, catalog('en-GB').done_title);
    await form(page).locator('p', { hasText: 'on Facebook Feed and Instagram Reels to train AI' }).waitFor();
    assert.equal(await remote.treeSize(), 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
    await remote.stop();
    remote.remove();
  }
});

test('narrow screens: usable at 320 px wide', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${intake.url}/?view=app&jurisdiction=GB`);
  await form(page).locator('button[type=submit]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false);
  await page.screenshot({ path: join(shots, 'narrow.png'), fullPage: true });
  await context.close();
});

test('axe-core: the waiting, refused and check screens in every language, light and dark', async () => {
  for (const lang of Object.keys(LANGS)) {
    const t = catalog(lang);
    const { page, context, problems } = await open(`/?lang=${lang}&jurisdiction=${LANGS[lang]}`);
    await form(page).locator('button[type=submit]').waitFor();
    await form(page).evaluate((el) => el.setAttribute('controller', 'other.example/log'));
    await form(page).locator('button[type=submit]').click();
    await heading(page, t.rejected_title);
    await axe(page, `${lang} refused`);
    await form(page).locator('button', { hasText: t.object_again }).click();
    await form(page).evaluate((el) => el.setAttribute('controller', 'social.example/ai-training'));
    await submitOffline(page, t);
    await axe(page, `${lang} waiting`);
    await page.unroute('**/v1/objections');
    await page.goto(`${intake.url}/?lang=${lang}&mode=check`);
    await heading(page, t.check_title);
    await form(page).locator('.kept li').waitFor();  // the waiting one was sent as the page opened
    await axe(page, `${lang} check`);
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED') && !p.includes('status of 400')), []);
    await context.close();
  }
});

test('without an account: an email address, a code from the mail, then the objection and its receipt', async () => {
  const sink = new MailSink();
  await sink.start();
  const mailIntake = new Intake((config) => { config.contact = sink.contact(); });
  await mailIntake.start();
  try {
    // Signed in, the page never shows an email field.
    const signedIn = await open('/?jurisdiction=GB', { base: mailIntake });
    await heading(signedIn.page, catalog('en-GB').title);
    assert.equal(await form(signedIn.page).locator('#contact-start, input[type=email]').count(), 0);
    await signedIn.context.close();

    const t = catalog('en-GB');
    const { page, context, problems } = await open('/?visitor&jurisdiction=GB', { base: mailIntake });
    await form(page).locator('.notice p', { hasText: t.contact_offer.replace('{controller}', 'Social Example') }).waitFor();
    await axe(page, 'signed out, email offered');
    await form(page).locator('#contact-start').click();
    await heading(page, t.contact_title);
    await axe(page, 'email');
    const email = form(page).locator('#contact-email');
    await email.fill('not-an-address');
    await form(page).locator('#contact-send').click();
    await form(page).locator('#contact-email-error', { hasText: t['error.bad_email'] }).waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.equal(await email.getAttribute('aria-describedby'), 'contact-email-error contact-email-hint');
    assert.equal(await email.evaluate((el) => el.getRootNode().activeElement === el), true);
    await axe(page, 'email error');
    assert.equal(sink.mails().length, 0);
    await email.fill('Visitor.One@Example.com');
    await form(page).locator('#contact-send').click();
    await heading(page, t.contact_code_title);
    await form(page).locator('p', { hasText: 'Visitor.One@Example.com' }).first().waitFor();
    assert.deepEqual(sink.mails().map((m) => m.to), ['Visitor.One@example.com']);
    const code = sink.lastCode();
    await form(page).locator('#contact-code').fill(code === '000000' ? '000001' : '000000');
    await form(page).locator('#contact-continue').click();
    await form(page).locator('#contact-code-error', { hasText: t['error.code_invalid'] }).waitFor();
    await axe(page, 'code error');
    await form(page).locator('#contact-code').fill(code);
    await form(page).locator('#contact-continue').click();
    await form(page).locator('#submit-objection').waitFor();
    await heading(page, t.title);
    assert.equal(await form(page).locator('.notice, input[type=email]').count(), 0);
    const before = await mailIntake.treeSize();
    await form(page).locator('#submit-objection').click();
    await heading(page, t.done_title);
    assert.equal(await mailIntake.treeSize(), before + 1);
    // The token the code bought stays in the widget: the page cannot read it.
    assert.equal(await form(page).evaluate((el) => el.accountToken), null);
    // The browser logs the wrong code's 401 itself; nothing else went wrong.
    assert.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    await context.close();

    // In Portuguese, with the keyboard alone.
    const pt = catalog('pt-BR');
    const visit = await open('/?visitor&lang=pt-BR&jurisdiction=BR', { base: mailIntake });
    const kb = visit.page;
    await form(kb).locator('#contact-start').focus();
    await kb.keyboard.press('Enter');
    await heading(kb, pt.contact_title);
    await kb.keyboard.press('Tab');
    await kb.keyboard.type('ana@example.com.br');
    await kb.keyboard.press('Enter');
    await heading(kb, pt.contact_code_title);
    const mail = sink.mails().at(-1);
    assert.match(mail.subject, /^\d{6} é o seu código para social\.example\/ai-training$/);
    await kb.keyboard.press('Tab');
    await kb.keyboard.type(sink.lastCode());
    await kb.keyboard.press('Enter');
    await form(kb).locator('#submit-objection').waitFor();
    await form(kb).locator('#submit-objection').focus();
    await kb.keyboard.press('Enter');
    await heading(kb, pt.done_title);
    assert.deepEqual(visit.problems, []);
    await visit.context.close();

    // The other languages: the path is there, in their words.
    for (const lang of ['de', 'fr', 'es', 'it', 'nl', 'pl']) {
      const c = catalog(lang);
      const other = await open(`/?visitor&lang=${lang}&jurisdiction=${LANGS[lang]}`, { base: mailIntake });
      await form(other.page).locator('#contact-start', { hasText: c.contact_start }).click();
      await heading(other.page, c.contact_title);
      assert.equal(await form(other.page).locator('label[for=contact-email]').textContent(), c.contact_email);
      await other.context.close();
    }

    // A page that says nothing about it: the widget asks the intake (its discovery document).
    const plain = await open('/?visitor&jurisdiction=GB', { base: mailIntake });
    await plain.page.evaluate(() => {
      const f = document.createElement('objection-form');
      f.id = 'plain';
      f.setAttribute('jurisdiction', 'GB');
      document.body.append(f);
    });
    await plain.page.locator('#plain #contact-start').waitFor();
    await plain.context.close();
    // An intake without contact: no such offer.
    const off = await open('/?visitor&jurisdiction=GB');
    await form(off.page).locator('.notice h3').waitFor();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await form(off.page).locator('#contact-start').count(), 0);
    assert.deepEqual(off.problems, []);
    await off.context.close();
  } finally {
    await mailIntake.stop();
    mailIntake.remove();
    await sink.stop();
  }
});
