// web/config.js: attributes win, the discovery document fills in, defaults last.
//   node --test tests/web/   (with OBJECTOR_WASM_DIR=build/wasm)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widgetModule } from '../support/intake.mjs';

const { parseNames, widgetConfig } = await widgetModule('config.js');

const discovered = {
  origin: 'social.example/ai-training', log_key: 'social.example/ai-training+1234abcd+AAAA', intake_url: '',
  services: [{ id: 'facebook', name: 'Facebook' }, { id: 'threads', name: 'Threads' }], reason_days: 90,
};
const attrs = (map) => (name) => map[name] ?? null;
const page = 'https://www.social.example/privacy/ai';

test('with attributes only', () => {
  const c = widgetConfig(attrs({ controller: 'x.example/log', 'log-key': 'k', intake: 'https://intake.x.example',
    services: 'a, b', 'service-names': 'a=Alpha,b=Beta', 'controller-name': 'X' }), null, page);
  assert.equal(c.controller, 'x.example/log');
  assert.equal(c.controllerName, 'X');
  assert.equal(c.intakeUrl, 'https://intake.x.example');
  assert.deepEqual(c.services, ['a', 'b']);
  assert.deepEqual(c.purposes, ['train-ai']);
  assert.deepEqual(c.trust, { log_key: 'k' });
  assert.equal(c.serviceName('b'), 'Beta');
  assert.equal(c.serviceName('c', { 'service.c': 'Gamma' }), 'Gamma');
  assert.equal(c.serviceName('d'), 'd');
  assert.equal(c.reasonDays, undefined);
});

test('from the discovery document, the intake at its origin unless it names one', () => {
  const c = widgetConfig(attrs({ discovery: '/.well-known/objector' }), discovered, page);
  assert.equal(c.controller, 'social.example/ai-training');
  assert.equal(c.controllerName, 'social.example/ai-training');
  assert.equal(c.intakeUrl, 'https://www.social.example');
  assert.deepEqual(c.services, ['facebook', 'threads']);
  assert.equal(c.serviceName('threads'), 'Threads');
  assert.equal(c.reasonDays, 90);
  const named = widgetConfig(attrs({ discovery: 'https://log.example/.well-known/objector' }),
    { ...discovered, intake_url: 'https://intake.log.example' }, page);
  assert.equal(named.intakeUrl, 'https://intake.log.example');
});

test('attributes win over the discovery document; a policy is what receipts must meet', () => {
  const c = widgetConfig(attrs({ discovery: '/d', services: 'facebook', intake: '', 'reason-days': '30',
    policy: 'log k\nquorum none\n' }), discovered, page);
  assert.deepEqual(c.services, ['facebook']);
  assert.equal(c.intakeUrl, '');
  assert.equal(c.reasonDays, '30');
  assert.deepEqual(c.trust, { policy: 'log k\nquorum none\n' });
});

test('defaults', () => {
  const c = widgetConfig(attrs({}), null, page);
  assert.deepEqual(c.services, ['facebook', 'instagram']);
  assert.equal(c.controller, '');
  assert.equal(c.intakeUrl, '');
  assert.deepEqual(parseNames('a=A, =x, b= ,c=C'), new Map([['a', 'A'], ['c', 'C']]));
});

test('the e-mail path is offered when the attribute or the log says so', () => {
  assert.equal(widgetConfig(attrs({}), null, page).contact, null);  // nobody said: the widget asks the intake
  assert.equal(widgetConfig(attrs({ discovery: '/d' }), discovered, page).contact, false);
  assert.equal(widgetConfig(attrs({ contact: '' }), null, page).contact, true);
  assert.equal(widgetConfig(attrs({ discovery: '/d' }), { ...discovered, contact: { code_ttl_s: 900 } }, page).contact, true);
  assert.equal(widgetConfig(attrs({ discovery: '/d', contact: 'off' }), { ...discovered, contact: {} }, page).contact, false);
});
