// The page's three languages. Elements name their string with data-i18n (text content),
// data-i18n-placeholder or data-i18n-aria-label; "{n}" in a string is filled from data-i18n-n.

import en from '../i18n/en.js';
import ja from '../i18n/ja.js';
import jaEasy from '../i18n/ja-easy.js';

export const LANGUAGES = { ja, 'ja-easy': jaEasy, en };
// The BCP 47 tag the document gets: やさしい日本語 is Japanese to a screen reader.
const HTML_LANG = { ja: 'ja', 'ja-easy': 'ja', en: 'en' };

let current = 'ja';

export function currentLanguage() {
  return current;
}

// The language to start in: the phone's own if the page has it, else Japanese.
export function initialLanguage(saved) {
  if (saved && LANGUAGES[saved]) return saved;
  const prefs = navigator.languages || [navigator.language || 'ja'];
  for (const p of prefs) {
    const base = String(p).toLowerCase().split('-')[0];
    if (base === 'ja') return 'ja';
    if (base === 'en') return 'en';
  }
  return 'ja';
}

// The string for key in the current language (Japanese when missing), with {n} filled.
export function t(key, n) {
  let s = LANGUAGES[current][key] ?? LANGUAGES.ja[key] ?? key;
  if (n !== undefined) s = s.replaceAll('{n}', String(n));
  return s;
}

// Region names in the page's language, from the browser (Intl.DisplayNames).
export function regionName(code) {
  try {
    const names = new Intl.DisplayNames([HTML_LANG[current]], { type: 'region' });
    return names.of(code) || code;
  } catch {
    return code;
  }
}

export function applyLanguage(lang, root = document) {
  current = LANGUAGES[lang] ? lang : 'ja';
  document.documentElement.lang = HTML_LANG[current];
  document.documentElement.dataset.lang = current;
  translate(root);
  document.title = t('app.title');
}

export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nN);
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel, el.dataset.i18nN));
  }
}
