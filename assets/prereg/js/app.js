// The pre-registration page: language switch, the form, "make my QR code", and opt-in keeping
// on this phone. Nothing is sent anywhere (see the Content-Security-Policy in index.html).

import {
  addMember,
  addPet,
  elementFor,
  fillForm,
  fillLanguageSelect,
  members,
  readForm,
  refreshPetSuggestions,
  refreshRegionNames,
  renumber,
} from './form.js';
import { applyLanguage, currentLanguage, initialLanguage, t, translate } from './i18n.js';
import { checkJpr1, encodeJpr1 } from './jpr1.js';
import { fitToPixels, renderQr } from './qr_view.js';
import { forget, loadSaved, save } from './storage.js';

const byId = (id) => document.getElementById(id);
const ERROR_KEYS = {
  required: 'err.required',
  tooLong: 'err.tooLong',
  range: 'err.range',
  date: 'err.date',
  tooMany: 'err.tooMany',
};
let wakeLock = null;

function setLanguage(lang) {
  applyLanguage(lang);
  for (const b of document.querySelectorAll('[data-set-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.setLang === currentLanguage()));
  }
  const hh = byId('hh-language');
  if (!hh.dataset.touched) hh.value = currentLanguage();
  refreshRegionNames();
  refreshPetSuggestions();
  translate(document);
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
  const keep = byId('save').checked;
  let saved = false;
  if (keep) {
    const { created, ...rest } = pre;
    saved = save({ language: currentLanguage(), household: rest });
  } else {
    forget();
  }
  showResult(result.text, pre.members.length, saved);
}

async function showResult(text, count, saved) {
  byId('page-form').hidden = true;
  const page = byId('page-result');
  page.hidden = false;
  page.dataset.text = text;
  renderQr(byId('qr'), text, '');
  const svg = byId('qr').querySelector('svg');
  svg.dataset.i18nAriaLabel = 'result.alt';
  svg.dataset.i18nN = String(count);
  byId('result-summary').dataset.i18nN = String(count);
  byId('save-status').dataset.i18n = saved ? 'save.done' : 'save.off';
  translate(page);
  window.scrollTo(0, 0);
  byId('result-title').focus();
  try {
    wakeLock = await navigator.wakeLock?.request('screen');
  } catch {
    wakeLock = null; // Not offered here: the hint asks the resident instead.
  }
}

function backToForm() {
  byId('page-result').hidden = true;
  byId('page-form').hidden = false;
  byId('qr').replaceChildren();
  wakeLock?.release().catch(() => {});
  wakeLock = null;
  byId('make').focus();
}

function deleteData() {
  if (!window.confirm(t('save.confirm'))) return;
  forget();
  byId('save').checked = false;
  fillForm({});
  byId('hh-language').value = currentLanguage();
  clearErrors();
  notice('save.deleted');
}

function start() {
  const saved = loadSaved();
  fillLanguageSelect(byId('hh-language'), false);
  byId('hh-language').addEventListener('change', (e) => {
    e.target.dataset.touched = '1';
  });
  for (const b of document.querySelectorAll('[data-set-lang]')) {
    b.addEventListener('click', () => setLanguage(b.dataset.setLang));
  }
  byId('add-member').addEventListener('click', () => {
    const m = addMember();
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
  byId('delete').addEventListener('click', deleteData);
  window.addEventListener('resize', () => {
    const svg = byId('qr').querySelector('svg');
    if (svg) fitToPixels(byId('qr'), svg);
  });

  if (saved?.household) {
    fillForm(saved.household);
    byId('save').checked = true;
  } else {
    fillForm({});
  }
  setLanguage(initialLanguage(saved?.language));
  if (saved?.household) notice('save.loaded');

  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('./sw.js').catch(() => {});
  }
}

start();
