// The widget's message catalogs: every language has every key of en-GB, and
// a message for every error code a person can meet (core/error_codes.hpp,
// the codes marked "person").
//   node --test tests/web/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { widgetModule } from '../support/intake.mjs';

const { LANGUAGES } = await widgetModule('catalog.js');

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const catalog = (lang) => JSON.parse(readFileSync(join(root, 'web/i18n', `${lang}.json`), 'utf8'));

// X(name, kind, person) lines of the one list of error codes.
const codes = [...readFileSync(join(root, 'core/error_codes.hpp'), 'utf8')
  .matchAll(/^\s*X\((\w+), (\w+), (true|false)\)/gm)].map(([, name, kind, person]) => ({ name, kind, person: person === 'true' }));

test('the error code list is read and names the codes a person meets', () => {
  assert.ok(codes.length > 60, `${codes.length} codes`);
  const person = codes.filter((c) => c.person).map((c) => c.name);
  for (const code of ['token_missing', 'token_expired', 'account_mismatch', 'rate_limited', 'bad_time']) {
    assert.ok(person.includes(code), code);
  }
  assert.deepEqual([...new Set(codes.map((c) => c.kind))].sort(), ['internal', 'malformed', 'unavailable', 'unverified']);
});

test('every catalog has a message for every code a person can meet', () => {
  for (const lang of LANGUAGES) {
    const t = catalog(lang);
    const missing = codes.filter((c) => c.person && !(`error.${c.name}` in t)).map((c) => c.name);
    assert.deepEqual(missing, [], lang);
  }
});

test('every catalog has exactly the keys of en-GB, none empty', () => {
  const keys = Object.keys(catalog('en-GB')).sort();
  for (const lang of LANGUAGES) {
    const t = catalog(lang);
    assert.deepEqual(Object.keys(t).sort(), keys, lang);
    for (const [key, text] of Object.entries(t)) assert.ok(text.trim().length > 0, `${lang} ${key}`);
  }
});

test('error keys of the catalogs are codes that exist', () => {
  const known = new Set([...codes.map((c) => c.name), 'generic', 'no_services', 'no_country', 'country_not_listed', 'reason_too_long', 'core_unavailable']);
  const stale = Object.keys(catalog('en-GB')).filter((k) => k.startsWith('error.') && !known.has(k.slice(6)));
  assert.deepEqual(stale, []);
});

test('every translation has the placeholders of en-GB', () => {
  const names = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const en = catalog('en-GB');
  for (const lang of LANGUAGES) {
    const t = catalog(lang);
    for (const key of Object.keys(en)) assert.deepEqual(names(t[key]), names(en[key]), `${lang} ${key}`);
  }
});

test('every message the widget shows is in the catalog', () => {
  const source = readFileSync(join(root, 'web/objection-form.js'), 'utf8');
  const used = [...source.matchAll(/#text\('([\w.]+)'/g)].map((m) => m[1]);
  assert.ok(used.length > 40, `${used.length} keys`);
  const en = catalog('en-GB');
  assert.deepEqual(used.filter((k) => !(k in en)), []);
});
