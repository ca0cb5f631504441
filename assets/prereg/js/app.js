// The pre-registration page: language switch, the form, "make my QR code", and keeping the code
// (a PNG, a printed A6 card, or the code alone on this phone when the resident asks). Nothing is
// sent anywhere (see the Content-Security-Policy in index.html).

import {
  addMember,
  addPet,
  elementFor,
  memberNames,
  members,
  openFoldOf,
  readForm,
  refreshPetSuggestions,
  refreshRegionNames,
  renumber,
  resetForm,
  setupHousehold,
  showDob,
} from './form.js';
import {
  LANGUAGES,
  applyLanguage,
  currentLanguage,
  htmlLang,
  initialLanguage,
  t,
  tIn,
  translate,
} from './i18n.js';
import { checkJpr1, encodeJpr1, jpr1Names } from './jpr1.js';
import { fitToPixels, qrPng, renderPrintQr, renderQr } from './qr_view.js';
import { forgetCode, keepCode, loadCode } from './storage.js';

const byId = (id) => document.getElementById(id);
const ERROR_KEYS = {
  required: 'err.required',
  tooLong: 'err.tooLong',
  range: 'err.range',
  date: 'err.date',
  tooMany: 'err.tooMany',
};
let wakeLock = null;
let pngUrl = '';
let shown = null; // {text, names} of the code on the result page

function setLanguage(lang) {
  applyLanguage(lang);
  for (const b of document.querySelectorAll('[data-set-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.setLang === currentLanguage()));
  }
  const hh = byId('hh-language');
  if (!hh.dataset.touched) {
    const mine = hh.querySelector(`input[value="${currentLanguage()}"]`);
    if (mine) mine.checked = true;
  }
  refreshRegionNames();
  refreshPetSuggestions();
  translate(document);
  for (const m of members()) showDob(m);
}

function notice(key) {
  const n = byId('notice');
  n.dataset.i18n = key;
  n.hidden = !key;
  translate(n.parentElement);
}

function clearErrors() {
  for (const e of document.querySelectorAll('#form .error')) e.remove();
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
  byId('errors').hidden = true;
  byId('errors').replaceChildren();
}

// Puts each message under its field and a count at the top; focuses the first field.
function showErrors(list) {
  let first = null;
  let count = 0;
  for (const { el, key } of list) {
    if (!el || el.getAttribute('aria-invalid') === 'true') continue;
    openFoldOf(el);
    const p = document.createElement('p');
    p.className = 'error';
    p.id = `${el.id}-error`;
    p.dataset.i18n = key;
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-describedby', p.id);
    const where = el.closest('.field') || el.parentElement;
    where.append(p);
    first ??= el;
    count += 1;
  }
  const box = byId('errors');
  const s = document.createElement('p');
  s.dataset.i18n = 'err.summary';
  s.dataset.i18nN = String(count);
  box.replaceChildren(s);
  box.hidden = false;
  translate(byId('form'));
  (first || box).focus();
}

function showSummaryError(key) {
  const box = byId('errors');
  const p = document.createElement('p');
  p.dataset.i18n = key;
  box.replaceChildren(p);
  box.hidden = false;
  translate(box);
  box.focus();
}

async function makeQr(event) {
  event.preventDefault();
  clearErrors();
  notice('');
  const { pre, problems } = readForm();
  for (const p of checkJpr1(pre)) {
    let key = ERROR_KEYS[p.problem] || 'err.tooLong';
    if (p.problem === 'required' && p.field.startsWith('pets.')) key = 'err.petKind';
    problems.push({ el: elementFor(p.field), key });
  }
  if (problems.length) {
    showErrors(problems);
    return;
  }
  if (typeof CompressionStream === 'undefined') {
    showSummaryError('err.unsupported');
    return;
  }
  pre.created = Math.floor(Date.now() / 1000);
  const result = await encodeJpr1(pre);
  if (result.error) {
    showSummaryError(result.error === 'tooBig' ? 'err.tooBig' : 'err.tooLong');
    return;
  }
  showResult(result.text, memberNames(pre), false);
}

async function showResult(text, names, loaded) {
  shown = { text, names };
  byId('page-form').hidden = true;
  const page = byId('page-result');
  page.hidden = false;
  page.dataset.text = text;
  byId('keep-loaded').hidden = !loaded;
  renderQr(byId('qr'), text);
  const svg = byId('qr').querySelector('svg');
  svg.dataset.i18nAriaLabel = 'result.alt';
  svg.dataset.i18nN = String(names.length);
  byId('result-summary').dataset.i18nN = String(names.length);
  byId('back').dataset.i18n = loaded ? 'result.new' : 'result.back';
  setKeepStatus(loaded ? '' : null);
  byId('forget').hidden = !loaded;
  byId('keep').hidden = loaded;
  fillCard(text, names);
  translate(page);
  window.scrollTo(0, 0);
  byId('result-title').focus({ preventScroll: true });
  if (pngUrl) URL.revokeObjectURL(pngUrl);
  pngUrl = '';
  byId('save-png').removeAttribute('href');
  const blob = await qrPng(text);
  if (shown?.text === text) {
    pngUrl = URL.createObjectURL(blob);
    byId('save-png').href = pngUrl;
  }
  try {
    wakeLock = await navigator.wakeLock?.request('screen');
  } catch {
    wakeLock = null; // Not offered here: the hint asks the resident instead.
  }
}

// The A6 card that only the print style sheet shows.
function fillCard(text, names) {
  renderPrintQr(byId('card-qr'), text);
  byId('card-names').replaceChildren(
    ...names.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    }),
  );
}

function setKeepStatus(key) {
  const s = byId('keep-status');
  s.hidden = !key;
  if (key) {
    s.dataset.i18n = key;
    translate(s.parentElement);
  }
}

function keepOnPhone() {
  if (!shown || !keepCode(shown.text)) return;
  setKeepStatus('keep.done');
  byId('keep').hidden = true;
  byId('forget').hidden = false;
  byId('forget').focus();
}

function forgetOnPhone() {
  if (!window.confirm(t('keep.confirm'))) return;
  forgetCode();
  setKeepStatus('keep.deleted');
  byId('forget').hidden = true;
  byId('keep').hidden = false;
}

function backToForm() {
  byId('page-result').hidden = true;
  byId('page-form').hidden = false;
  byId('qr').replaceChildren();
  shown = null;
  wakeLock?.release().catch(() => {});
  wakeLock = null;
  byId('make').focus();
}

function languageButtons() {
  const nav = document.querySelector('.langs');
  for (const lang of LANGUAGES) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'lang';
    b.dataset.setLang = lang;
    b.lang = htmlLang(lang);
    b.textContent = tIn(lang, 'lang.name');
    b.addEventListener('click', () => setLanguage(lang));
    nav.append(b);
  }
}

async function start() {
  languageButtons();
  byId('hh-language').addEventListener('change', () => {
    byId('hh-language').dataset.touched = '1';
  });
  byId('add-member').addEventListener('click', () => {
    const m = addMember();
    translate(m);
    refreshRegionNames(m);
    m.querySelector('input').focus();
  });
  byId('add-pet').addEventListener('click', () => addPet().querySelector('input').focus());
  byId('form').addEventListener('click', (e) => {
    const action = e.target.closest('[data-action]')?.dataset.action;
    if (!action) return;
    e.target.closest(action === 'remove-member' ? '.member' : '.pet').remove();
    if (members().length === 0) addMember();
    renumber();
  });
  byId('form').addEventListener('submit', makeQr);
  byId('back').addEventListener('click', backToForm);
  byId('keep').addEventListener('click', keepOnPhone);
  byId('forget').addEventListener('click', forgetOnPhone);
  byId('print').addEventListener('click', () => window.print());
  window.addEventListener('resize', () => {
    const svg = byId('qr').querySelector('svg');
    if (svg) fitToPixels(byId('qr'), svg);
  });

  setupHousehold();
  resetForm();
  setLanguage(initialLanguage());
  const kept = loadCode();
  if (kept) {
    const names = (await jpr1Names(kept)) || [];
    showResult(kept, names, true);
  }

  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('./sw.js').catch(() => {});
  }
}

start();
