// What an <objection-form> is configured with, free of the DOM so node can
// test it: each setting from the element's attribute, else from the log's
// discovery document (when the host gave `discovery`), else a default.
//
//   const config = widgetConfig((name) => el.getAttribute(name), discovered, location.href);
//   config.intakeUrl, config.services, config.trust, config.serviceName('facebook', catalog)

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

// "facebook=Facebook,instagram=Instagram" -> Map.
export function parseNames(text) {
  return new Map((text ?? '').split(',').map((pair) => pair.split('=').map((s) => s.trim()))
    .filter(([id, name]) => id && name));
}

// `attr(name)`: the attribute's value or null. `discovered`: the discovery
// document or null. `pageUrl`: the page's URL, against which `discovery` resolves.
export function widgetConfig(attr, discovered, pageUrl) {
  const has = (name) => attr(name) != null;
  const controller = attr('controller') ?? discovered?.origin ?? '';
  const policy = attr('policy') ?? discovered?.policy ?? '';
  const logKey = attr('log-key') ?? discovered?.log_key ?? '';
  let intakeUrl = attr('intake') ?? '';
  if (!has('intake') && discovered) {
    intakeUrl = discovered.intake_url || new URL(attr('discovery'), pageUrl).origin;
  }
  const services = attr('services') ?? discovered?.services.map((s) => s.id).join(',');
  return {
    controller,
    controllerName: attr('controller-name') ?? controller,
    intakeUrl,
    services: list(services ?? 'facebook,instagram'),
    purposes: list(attr('purposes') ?? 'train-ai'),
    logKey,
    // c2sp.org/tlog-policy text: receipts must then carry its witnesses' quorum.
    policy,
    trust: policy ? { policy } : { log_key: logKey },
    reasonDays: attr('reason-days') ?? discovered?.reason_days,
    // The reason's limit in UTF-8 bytes, as the intake counts it (limits.max_reason_bytes).
    maxReasonBytes: Number(attr('reason-max-bytes') ?? discovered?.max_reason_bytes ?? 2000),
    // People without an account may object with an e-mail address (the
    // intake's config contact): the attribute `contact`, or the log says so;
    // null when neither says (the widget then asks the intake).
    contact: has('contact') ? attr('contact') !== 'off' : discovered ? Boolean(discovered.contact) : null,
    // A service's display name: the host's, the log's, the catalog's, else its id.
    serviceName(id, catalog = {}) {
      return parseNames(attr('service-names')).get(id) ??
        discovered?.services.find((s) => s.id === id)?.name ?? catalog[`service.${id}`] ?? id;
    },
  };
}
