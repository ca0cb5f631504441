// The form's members and pets: building their fields, reading the form into the JPR1 household
// (with the problems the page itself finds), and filling it back from a saved household.

import { eraOf, asciiDigits, parseDob } from './dates.js';
import { regionName, t, translate } from './i18n.js';
import {
  ALLERGEN_CODES,
  CONSENT,
  CONSENT_DEFAULT,
  MAX_MEMBERS,
  MAX_PETS,
  NEED_CODES,
  RELATIONSHIPS,
} from './jpr1.js';

// Languages offered for the household and each member, named in themselves.
export const LANGUAGE_OPTIONS = [
  ['ja', '日本語'],
  ['ja-easy', 'やさしい日本語'],
  ['en', 'English'],
  ['zh-Hans', '中文（简体）'],
  ['zh-Hant', '中文（繁體）'],
  ['ko', '한국어'],
  ['vi', 'Tiếng Việt'],
  ['pt', 'Português'],
  ['es', 'Español'],
  ['fil', 'Filipino'],
  ['ne', 'नेपाली'],
  ['id', 'Bahasa Indonesia'],
  ['th', 'ไทย'],
  ['my', 'မြန်မာ'],
  ['si', 'සිංහල'],
];
// Nationalities most common in Japan (ISO 3166 alpha-2), named by the browser.
const NATIONALITIES = 'JP CN VN KR PH BR NP ID MM TW US TH LK IN PE BD'.split(' ');
const CONSENT_KEYS = Object.keys(CONSENT);

let uid = 0;
const $ = (root, f) => root.querySelector(`[data-f="${f}"]`);

function option(value, key, text, lang) {
  const o = document.createElement('option');
  o.value = value;
  if (key) o.dataset.i18n = key;
  if (text) o.textContent = text;
  if (lang) o.lang = lang;
  return o;
}

// A checkbox or radio with its label as one large touch target.
function choice(type, name, value, key, hintKey) {
  const label = document.createElement('label');
  label.className = 'check';
  const input = document.createElement('input');
  input.type = type;
  input.name = name;
  input.value = value;
  const span = document.createElement('span');
  const text = document.createElement('span');
  text.dataset.i18n = key;
  span.append(text);
  if (hintKey) {
    const hint = document.createElement('small');
    hint.className = 'hint';
    hint.dataset.i18n = hintKey;
    span.append(document.createElement('br'), hint);
  }
  label.append(input, span);
  return label;
}

// Gives every [data-f] field a unique id and points its label at it.
function wire(root, prefix) {
  for (const el of root.querySelectorAll('[data-f]')) el.id = `${prefix}-${el.dataset.f}`;
  for (const label of root.querySelectorAll('label[data-for]')) {
    label.htmlFor = `${prefix}-${label.dataset.for}`;
  }
}

export function fillLanguageSelect(select, withSame) {
  const keep = select.value;
  select.replaceChildren();
  if (withSame) select.append(option('', 'lang.same'));
  for (const [code, name] of LANGUAGE_OPTIONS) select.append(option(code, null, name, code));
  select.value = keep;
}

// Region names follow the page's language; called again when the language changes.
export function refreshRegionNames(root = document) {
  for (const o of root.querySelectorAll('select[data-f="nationality"] option[data-region]')) {
    o.textContent = regionName(o.dataset.region);
  }
}

export function refreshPetSuggestions() {
  const list = document.getElementById('pet-kinds');
  list.replaceChildren(
    ...t('pet.suggest')
      .split(',')
      .map((k) => option(k, null, k)),
  );
}

export function members() {
  return [...document.querySelectorAll('#members > .member')];
}

export function pets() {
  return [...document.querySelectorAll('#pets > .pet')];
}

export function renumber() {
  members().forEach((m, i) => {
    m.querySelector('legend > [data-i18n]').dataset.i18nN = String(i + 1);
    m.querySelector('[data-action="remove-member"]').hidden = members().length === 1;
  });
  pets().forEach((p, i) => {
    p.querySelector('legend > [data-i18n]').dataset.i18nN = String(i + 1);
  });
  document.getElementById('add-member').disabled = members().length >= MAX_MEMBERS;
  document.getElementById('add-pet').disabled = pets().length >= MAX_PETS;
  document.getElementById('pets-none').hidden = pets().length > 0;
  translate(document.getElementById('form'));
}

function showDob(m) {
  const r = parseDob($(m, 'era').value, $(m, 'year').value, $(m, 'month').value, $(m, 'day').value);
  const out = $(m, 'dob-shown');
  if (!r.dob) {
    out.textContent = '';
    return;
  }
  const e = eraOf(r.dob);
  const era = e ? t('era.year', e.year).replace('{e}', t(`era.${e.id}`)) : '';
  out.textContent = `= ${r.dob}` + (era ? ` (${era})` : '');
}

export function addMember(data) {
  const node = document.getElementById('member-template').content.firstElementChild.cloneNode(true);
  const prefix = `m${++uid}`;
  wire(node, prefix);
  const era = $(node, 'era');
  era.append(option('western', 'era.western'));
  for (const id of ['reiwa', 'heisei', 'showa', 'taisho']) era.append(option(id, `era.${id}`));
  for (const i of [0, 1, 2, 3])
    $(node, 'sex').append(choice('radio', `${prefix}-sex`, String(i), `sex.${i}`));
  $(node, 'sex').querySelector('input').checked = true;
  const rel = $(node, 'relationship');
  rel.append(option('', 'rel.'));
  for (const r of RELATIONSHIPS) rel.append(option(r, `rel.${r}`));
  if (members().length === 0) rel.value = 'head';
  const nat = $(node, 'nationality');
  nat.append(option('', 'nat.'));
  for (const code of NATIONALITIES) {
    const o = option(code, null, code);
    o.dataset.region = code;
    nat.append(o);
  }
  nat.append(option('other', 'nat.other'));
  nat.addEventListener('change', () => {
    node.querySelector('[data-show="nationality-other"]').hidden = nat.value !== 'other';
  });
  fillLanguageSelect($(node, 'language'), true);
  for (const code of NEED_CODES)
    $(node, 'needs').append(choice('checkbox', `${prefix}-needs`, code, `need.${code}`));
  for (const code of ALLERGEN_CODES) {
    $(node, 'allergies').append(choice('checkbox', `${prefix}-alg`, code, `alg.${code}`));
  }
  const care = $(node, 'care');
  care.append(option('0', 'care.0'));
  for (let i = 1; i <= 5; ++i) {
    const o = option(String(i), 'care.n');
    o.dataset.i18nN = String(i);
    care.append(o);
  }
  for (const k of CONSENT_KEYS) {
    const c = choice(
      'checkbox',
      `${prefix}-consent`,
      String(CONSENT[k]),
      `consent.${k}`,
      `consent.${k}.hint`,
    );
    c.querySelector('input').checked = (CONSENT_DEFAULT & CONSENT[k]) !== 0;
    $(node, 'consent').append(c);
  }
  for (const f of ['year', 'month', 'day']) asciiOnInput($(node, f));
  for (const f of ['era', 'year', 'month', 'day']) {
    $(node, f).addEventListener(f === 'era' ? 'change' : 'input', () => showDob(node));
  }
  document.getElementById('members').append(node);
  refreshRegionNames(node);
  if (data) fillMember(node, data);
  renumber();
  return node;
}

export function addPet(data) {
  const node = document.getElementById('pet-template').content.firstElementChild.cloneNode(true);
  const prefix = `p${++uid}`;
  wire(node, prefix);
  $(node, 'mode').append(
    choice('radio', `${prefix}-mode`, '1', 'pet.together'),
    choice('radio', `${prefix}-mode`, '0', 'pet.apart'),
  );
  $(node, 'mode').querySelector('input[value="1"]').checked = true;
  asciiOnInput($(node, 'count'));
  document.getElementById('pets').append(node);
  if (data) {
    $(node, 'kind').value = data.kind || '';
    $(node, 'count').value = String(data.count || 1);
    $(node, 'mode').querySelector(`input[value="${data.together ? 1 : 0}"]`).checked = true;
  }
  renumber();
  return node;
}

// Full-width digits (what a Japanese keyboard often types) become ASCII as they are typed.
function asciiOnInput(input) {
  input.addEventListener('input', () => {
    const v = input.value.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (v !== input.value) input.value = v;
  });
}

const checked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

// Reads the whole form: {pre, problems}, problems as [{el, key}] the page found itself
// (dates, pet counts); limits are checked by checkJpr1 on `pre`.
export function readForm() {
  const problems = [];
  const val = (el) => el.value.trim();
  const pre = {};
  for (const el of document.querySelectorAll('[data-h]')) pre[el.dataset.h] = val(el);
  pre.members = members().map((m) => {
    const dob = parseDob(
      $(m, 'era').value,
      $(m, 'year').value,
      $(m, 'month').value,
      $(m, 'day').value,
    );
    if (dob.error) problems.push({ el: $(m, 'year'), key: `err.${dob.error}` });
    const nat = $(m, 'nationality').value;
    const otherAllergies = val($(m, 'allergy-other'))
      .split(/[、,，､;；\n]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      name: val($(m, 'name')),
      kana: val($(m, 'kana')),
      dob: dob.dob || '',
      sex: Number(checked($(m, 'sex'))[0] || 0),
      relationship: $(m, 'relationship').value,
      nationality: nat === 'other' ? val($(m, 'nationality-other')) : nat,
      language: $(m, 'language').value,
      phone: val($(m, 'phone')),
      needs: checked($(m, 'needs')),
      allergies: [...checked($(m, 'allergies')), ...otherAllergies],
      careLevel: Number($(m, 'care').value),
      evacSupport: $(m, 'evac').checked,
      consent: checked($(m, 'consent')).reduce((a, b) => a | Number(b), 0),
      note: val($(m, 'note')),
    };
  });
  pre.pets = pets().map((p) => {
    const count = asciiDigits($(p, 'count').value);
    if (!/^\d{1,2}$/.test(count) || Number(count) < 1)
      problems.push({ el: $(p, 'count'), key: 'err.range' });
    return {
      kind: val($(p, 'kind')),
      count: Number(count) || 1,
      together: checked($(p, 'mode'))[0] === '1',
    };
  });
  return { pre, problems };
}

// The element a checkJpr1 problem field ("members.2.name", "pets.0.kind", "note") points at.
export function elementFor(field) {
  const parts = field.split('.');
  if (parts.length === 1) {
    if (parts[0] === 'members') return document.getElementById('add-member');
    if (parts[0] === 'pets') return document.getElementById('add-pet');
    return document.querySelector(`[data-h="${parts[0]}"]`);
  }
  const [list, index, key] = parts;
  const root = (list === 'members' ? members() : pets())[Number(index)];
  const map = { dob: 'year', allergies: 'allergy-other', careLevel: 'care' };
  if (key === 'nationality' && $(root, 'nationality').value === 'other')
    return $(root, 'nationality-other');
  return $(root, map[key] || key);
}

function fillMember(m, p) {
  $(m, 'name').value = p.name || '';
  $(m, 'kana').value = p.kana || '';
  if (p.dob) {
    const [y, mo, d] = p.dob.split('-');
    $(m, 'era').value = 'western';
    $(m, 'year').value = y;
    $(m, 'month').value = String(Number(mo));
    $(m, 'day').value = String(Number(d));
    showDob(m);
  }
  const sex = $(m, 'sex').querySelector(`input[value="${p.sex || 0}"]`);
  if (sex) sex.checked = true;
  $(m, 'relationship').value = RELATIONSHIPS.includes(p.relationship) ? p.relationship : '';
  const nat = $(m, 'nationality');
  if (!p.nationality) nat.value = '';
  else if (NATIONALITIES.includes(p.nationality)) nat.value = p.nationality;
  else {
    nat.value = 'other';
    $(m, 'nationality-other').value = p.nationality;
  }
  m.querySelector('[data-show="nationality-other"]').hidden = nat.value !== 'other';
  $(m, 'language').value = p.language || '';
  $(m, 'phone').value = p.phone || '';
  for (const i of $(m, 'needs').querySelectorAll('input'))
    i.checked = (p.needs || []).includes(i.value);
  const allergies = p.allergies || [];
  for (const i of $(m, 'allergies').querySelectorAll('input'))
    i.checked = allergies.includes(i.value);
  $(m, 'allergy-other').value = allergies.filter((a) => !ALLERGEN_CODES.includes(a)).join('、');
  $(m, 'care').value = String(p.careLevel || 0);
  $(m, 'evac').checked = !!p.evacSupport;
  const consent = p.consent ?? CONSENT_DEFAULT;
  for (const i of $(m, 'consent').querySelectorAll('input'))
    i.checked = (consent & Number(i.value)) !== 0;
  $(m, 'note').value = p.note || '';
}

// Replaces the whole form with a saved household.
export function fillForm(pre) {
  for (const el of document.querySelectorAll('[data-h]')) el.value = pre[el.dataset.h] || '';
  document.getElementById('hh-language').dataset.touched = pre.language ? '1' : '';
  document.getElementById('members').replaceChildren();
  document.getElementById('pets').replaceChildren();
  const list = pre.members && pre.members.length ? pre.members.slice(0, MAX_MEMBERS) : [null];
  for (const p of list) addMember(p || undefined);
  for (const p of (pre.pets || []).slice(0, MAX_PETS)) addPet(p);
  renumber();
}
