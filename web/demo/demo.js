// The demo host page: a mock social-app settings page. In demo mode the
// intake mints a token for a demo account, as the platform's backend would
// for its signed-in user; the page stays signed in as that account across
// reloads, as a real site would.
// ?visitor shows the page to someone without an account.
const params = new URLSearchParams(location.search);
const visitor = params.has('visitor');
const signedIn = localStorage.getItem('objector-demo.account');
// The session and the widget's module at once (a static import would make the
// fetches wait for the whole module graph).
const [config, session] = await Promise.all([
  fetch('/demo/config.json').then((r) => r.json()),
  visitor ? null : fetch(signedIn ? `/demo/token?account=${signedIn}` : '/demo/token').then((r) => r.json()),
  import('./objection-form.js'),
]);
if (session) localStorage.setItem('objector-demo.account', session.account);
document.getElementById('who').textContent = session?.account ?? 'Not signed in';
if (params.get('view') === 'app') document.body.classList.add('app');

const language = document.getElementById('language');
language.value = params.get('lang') ?? 'en-GB';
const form = document.createElement('objection-form');
if (params.has('discovery')) {
  form.setAttribute('discovery', '/.well-known/objector');  // one URL instead of three attributes
} else {
  form.setAttribute('controller', config.controller);
  form.setAttribute('log-key', config.log_key);
  form.setAttribute('services', config.services.join(','));
  form.setAttribute('controller-name', 'Social Example');
  if (config.policy) form.setAttribute('policy', config.policy);  // receipts must carry the witnesses' quorum
}
form.setAttribute('lang', language.value);
if (params.get('jurisdiction')) form.setAttribute('jurisdiction', params.get('jurisdiction'));
if (params.get('mode')) form.setAttribute('mode', params.get('mode'));
form.setAttribute('check-url', '?mode=check');
if (params.get('frame-origin')) form.setAttribute('frame-origin', params.get('frame-origin'));
if (session) form.accountToken = session.token;
if (config.contact) form.setAttribute('contact', '');  // the intake takes objections by e-mail code
language.addEventListener('change', () => {
  form.setAttribute('lang', language.value);
  document.documentElement.lang = language.value;
});
document.getElementById('slot').append(form);
