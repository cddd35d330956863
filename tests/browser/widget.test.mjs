// <objection-form> in Debian's Chromium against a real objector-intake:
// the flow in every language (keyboard only in one), receipts that verify
// natively, axe-core on every screen in light and dark, the app bridges,
// offline and error handling, and the page's CSP.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { Intake, root } from '../support/intake.mjs';

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
async function open(path, { colorScheme = 'light', init } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, colorScheme });
  const page = await context.newPage();
  const problems = [];
  // axe-core itself sets inline styles while it measures contrast, which the
  // page's CSP rightly refuses: messages during axe runs are axe's, not ours.
  page.axeRunning = false;
  page.on('console', (m) => { if (m.type() === 'error' && !page.axeRunning) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(intake.url) && !r.url().startsWith('blob:')) problems.push(`request: ${r.url()}`); });
  if (init) await page.addInitScript(init);
  await page.goto(`${intake.url}${path}`);
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

test('objects in every language, keyboard only in en-GB; receipts verify natively', async () => {
  for (const [lang, jurisdiction] of Object.entries(LANGS)) {
    const t = catalog(lang);
    const { page, context, problems } = await open(`/?lang=${lang}&jurisdiction=${jurisdiction}`);
    await form(page).locator('h2', { hasText: t.title }).waitFor();
    assert.equal(await form(page).locator('h2').evaluate((h) => h.getRootNode().activeElement === h), true, 'focus on the heading');
    await axe(page, `${lang} form`);
    await page.screenshot({ path: join(shots, `form-${lang}.png`), fullPage: true });
    if (lang === 'en-GB') {
      // Heading, two services, email, reason, button: five Tabs, then Enter.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      assert.equal(await form(page).locator('button[type=submit]').evaluate((b) => b.getRootNode().activeElement === b), true);
      await page.keyboard.press('Enter');
    } else {
      await form(page).locator('button[type=submit]').click();
    }
    await form(page).locator('h2', { hasText: t.done_title }).waitFor();
    await axe(page, `${lang} receipt`);
    await page.screenshot({ path: join(shots, `done-${lang}.png`), fullPage: true });
    const download = page.waitForEvent('download');
    if (lang === 'en-GB') {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    } else {
      await form(page).locator('a[download]').click();
    }
    const file = await download;
    assert.match(file.suggestedFilename(), /^objection-receipt-\d{4}-\d{2}-\d{2}\.json$/);
    const path = join(shots, `receipt-${lang}.json`);
    await file.saveAs(path);
    assert.match(intake.verify(path), /verified: objection \d+ in social\.example\/ai-training/);
    const receipt = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(receipt.entry.statement.lang, lang);
    assert.equal(receipt.entry.statement.jurisdiction, jurisdiction);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('configured from the discovery document alone', async () => {
  const t = catalog('en-GB');
  const { page, context, problems } = await open('/?discovery=1&jurisdiction=GB');
  await form(page).locator('h2', { hasText: t.title }).waitFor();
  assert.equal(await form(page).getAttribute('controller'), null);
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('h2', { hasText: t.done_title }).waitFor();
  const download = page.waitForEvent('download');
  await form(page).locator('a[download]').click();
  const path = join(shots, 'receipt-discovery.json');
  await (await download).saveAs(path);
  assert.match(intake.verify(path), /verified: objection \d+ in social\.example\/ai-training/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('asks for the country when the host does not say', async () => {
  const t = catalog('de');
  const { page, context, problems } = await open('/?lang=de');
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=alert]', { hasText: t['error.no_country'] }).waitFor();
  await form(page).locator('#country').selectOption('BR');
  await form(page).locator('.basis', { hasText: t['basis.lgpd:art18-2'] }).waitFor();
  await axe(page, 'country chooser');
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('h2', { hasText: t.done_title }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('each app bridge receives exactly one receipt', async () => {
  const stubs = {
    ios: () => { window.webkit = { messageHandlers: { objector: { postMessage: (r) => (window.got ??= []).push(r) } } }; },
    android: () => { window.ObjectorBridge = { postMessage: (s) => (window.got ??= []).push(JSON.parse(s)) }; },
  };
  for (const [name, init] of Object.entries(stubs)) {
    const { page, context } = await open('/?jurisdiction=GB', { init });
    await form(page).locator('button[type=submit]').click();
    await form(page).locator('h2', { hasText: catalog('en-GB').done_title }).waitFor();
    const got = await page.evaluate(() => window.got);
    assert.equal(got.length, 1, name);
    assert.equal(got[0].type, 'objection-receipt/v1', name);
    await context.close();
  }
  // The frame bridge: the in-app view hosts the page in a frame.
  const { page, context } = await open('/app.html');
  const frame = page.frameLocator('#app');
  await frame.locator('objection-form button[type=submit]').click();
  await page.locator('#received', { hasText: 'Receipt received' }).waitFor();
  assert.equal(await page.evaluate(() => window.receivedReceipts.length), 1);
  await context.close();
});

test('offline: the signed objection waits and is sent once', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?jurisdiction=GB');
  await form(page).locator('button[type=submit]').waitFor();
  const before = await intake.treeSize();
  await intake.stop();
  try {
    await form(page).locator('button[type=submit]').click();
    await form(page).locator('[role=status]', { hasText: t.pending }).waitFor();
    await axe(page, 'pending');
    await page.screenshot({ path: join(shots, 'pending.png'), fullPage: true });
  } finally {
    await intake.start();
  }
  await form(page).locator('h2', { hasText: t.done_title }).waitFor({ timeout: 20000 });
  assert.equal(await intake.treeSize(), before + 1);
  assert.equal(await page.evaluate(() => localStorage.getItem('objector.pending.v1')), null);
  await context.close();
});

test('errors: expired sign-in, a 4xx and a 5xx each say what to do', async () => {
  const t = catalog('fr');
  const { page, context } = await open('/?lang=fr&jurisdiction=FR');
  await form(page).locator('button[type=submit]').waitFor();
  const expired = intake.token('user:expired', '1s');
  await new Promise((r) => setTimeout(r, 1500));
  await form(page).evaluate((el, token) => { el.accountToken = token; }, expired);
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=alert]', { hasText: t['error.token_expired'] }).waitFor();
  await axe(page, 'error');
  await page.screenshot({ path: join(shots, 'error-expired.png'), fullPage: true });

  await form(page).evaluate((el, token) => { el.accountToken = token; }, intake.token('user:fr'));
  await form(page).locator('#email').fill('not an email');
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=alert]', { hasText: t['error.bad_contact'] }).waitFor();

  await page.route('**/v1/objections', (route) => route.fulfill({ status: 503, contentType: 'application/json',
    body: '{"error":"shutting_down","message":"the intake is shutting down"}' }));
  await form(page).locator('#email').fill('');
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=status]', { hasText: t.pending }).waitFor();
  await page.unroute('**/v1/objections');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await form(page).locator('h2', { hasText: t.done_title }).waitFor({ timeout: 20000 });
  await context.close();
});

test('checks a kept receipt against the live log', async () => {
  const t = catalog('en-GB');
  const { page, context } = await open('/?mode=check');
  await form(page).locator('h2', { hasText: t.check_title }).waitFor();
  await axe(page, 'check');
  await form(page).locator('#receipt-file').setInputFiles(join(shots, 'receipt-en-GB.json'));
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=status]', { hasText: 'Your objection is in the log' }).waitFor();
  const bad = JSON.parse(readFileSync(join(shots, 'receipt-en-GB.json'), 'utf8'));
  bad.opening.account = 'user:someone-else';
  await form(page).locator('#receipt-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await form(page).locator('button[type=submit]').click();
  await form(page).locator('[role=alert]', { hasText: 'do not match the statement' }).waitFor();
  await page.screenshot({ path: join(shots, 'check.png'), fullPage: true });
  await context.close();
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

test('axe-core: the pending, error and check screens in every language, light and dark', async () => {
  for (const lang of Object.keys(LANGS)) {
    const t = catalog(lang);
    const { page, context, problems } = await open(`/?lang=${lang}&jurisdiction=${LANGS[lang]}`);
    await form(page).locator('button[type=submit]').waitFor();
    await page.route('**/v1/objections', (route) => route.fulfill({ status: 401, contentType: 'application/json',
      body: '{"error":"token_expired","message":"account token has expired (hint: sign in again)"}' }));
    await form(page).locator('button[type=submit]').click();
    await form(page).locator('[role=alert]', { hasText: t['error.token_expired'] }).waitFor();
    await axe(page, `${lang} error`);
    await page.unroute('**/v1/objections');
    await page.route('**/v1/objections', (route) => route.abort('internetdisconnected'));
    await form(page).locator('button[type=submit]').click();
    await form(page).locator('[role=status]', { hasText: t.pending }).waitFor();
    await axe(page, `${lang} pending`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${intake.url}/?lang=${lang}&mode=check`);
    await form(page).locator('h2', { hasText: t.check_title }).waitFor();
    await axe(page, `${lang} check`);
    assert.deepEqual(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED') && !p.includes('status of 401')), []);
    await context.close();
  }
});
