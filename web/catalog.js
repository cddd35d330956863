// Message catalogs: one JSON file per language, fetched on demand (only the
// active one). Every string the widget shows comes from a catalog. The
// languages come from the core (constants.js is generated from it).
import { LANGUAGES } from './constants.js';

export { LANGUAGES };
export const DEFAULT_LANGUAGE = LANGUAGES[0];

// The supported language for a requested tag: exact, then by primary
// subtag ("pt" -> "pt-BR"), else the first match among the browser's
// preferences, else en-GB.
export function negotiate(requested, preferences = globalThis.navigator?.languages ?? []) {
  const match = (tag) => {
    if (!tag) return null;
    const lower = tag.toLowerCase();
    return LANGUAGES.find((l) => l.toLowerCase() === lower) ??
      LANGUAGES.find((l) => l.split('-')[0] === lower.split('-')[0]) ?? null;
  };
  return match(requested) ?? preferences.map(match).find(Boolean) ?? DEFAULT_LANGUAGE;
}

const cache = new Map();

export async function loadCatalog(lang, baseUrl) {
  if (!cache.has(lang)) {
    cache.set(lang, fetch(new URL(`i18n/${lang}.json`, baseUrl), { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`catalog ${lang}: HTTP ${r.status}`);
      return r.json();
    }));
  }
  try {
    return await cache.get(lang);
  } catch (error) {
    cache.delete(lang);
    throw error;
  }
}

// "{name}" placeholders filled from `params`.
export function format(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
