// The form's members and pets: building their fields (every choice a radio or checkbox that wraps
// at any text size; details folded behind yes/no questions), reading the form into the JPR1
// household with the problems the page itself finds, and emptying it again.

import { parseDate } from './dates.js';
import { currentLanguage, fill, monthName, regionName, t, translate } from './i18n.js';
import {
  ALLERGEN_CODES,
  CONSENT,
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
const SEX_KEYS = ['sex.unanswered', 'sex.male', 'sex.female', 'sex.other'];
// Where each allergen's word lives in the app's catalog.
const ALLERGEN_KEY = (code) => `allergen.${code}`;

let uid = 0;
const $ = (root, f) => root.querySelector(`[data-f="${f}"]`);

// A checkbox or radio with its label as one large touch target; text from key or given as is.
function choice(type, name, value, { key, text, lang, hintKey, n } = {}) {
  const label = document.createElement('label');
  label.className = 'check';
  const input = document.createElement('input');
  input.type = type;
  input.name = name;
  input.value = value;
  const span = document.createElement('span');
  const words = document.createElement('span');
  if (key) words.dataset.i18n = key;
  if (n !== undefined) words.dataset.i18nN = String(n);
  if (text) words.textContent = text;
  if (lang) words.lang = lang;
  span.append(words);
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

// A yes/no question that shows its fold on "yes"; neither answer is chosen at first.
function question(root, name) {
  const box = root.querySelector(`[data-q="${name}"] .yesno`);
  const fold = root.querySelector(`[data-fold="${name}"]`);
  const group = `${box.closest('[id]')?.id || 'q'}-${name}-${++uid}`;
  box.append(
    choice('radio', group, '1', { key: 'q.yes' }),
    choice('radio', group, '0', { key: 'q.no' }),
  );
  box.addEventListener('change', () => {
    fold.hidden = box.querySelector('input:checked')?.value !== '1';
  });
}

// Opens the fold holding el (a problem inside it must be visible).
export function openFoldOf(el) {
  const fold = el?.closest('[data-fold]');
  if (!fold || !fold.hidden) return;
  const scope = fold.parentElement;
  scope.querySelector(`[data-q="${fold.dataset.fold}"] input[value="1"]`).checked = true;
  fold.hidden = false;
}

export function fillLanguageChoices(box, name, withSame) {
  box.replaceChildren();
  if (withSame) box.append(choice('radio', name, '', { key: 'lang.same' }));
  for (const [code, text] of LANGUAGE_OPTIONS) {
    box.append(choice('radio', name, code, { text, lang: code === 'ja-easy' ? 'ja' : code }));
  }
  box.querySelector('input').checked = withSame;
}

// Region names follow the page's language; called again when the language changes.
export function refreshRegionNames(root = document) {
  for (const s of root.querySelectorAll('[data-f="nationality"] [data-region]')) {
    s.textContent = regionName(s.dataset.region);
  }
}

export function refreshPetSuggestions() {
  const list = document.getElementById('pet-kinds');
  list.replaceChildren(
    ...t('pet.suggest')
      .split(',')
      .map((k) => {
        const o = document.createElement('option');
        o.value = k;
        return o;
      }),
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

// What parseDate understood, in the page's language: 「1940年（昭和15年）8月15日」.
export function describeDate(r) {
  if (!r.year) return '';
  const era = r.era
    ? fill(t(r.era.year === 1 ? 'era.first' : 'era.year', r.era.year), {
        e: t(`era.${r.era.id}`),
      })
    : '';
  const values = { y: r.year, m: r.month, d: r.day, mon: r.month && monthName(r.month), era };
  if (r.dob) return fill(t('dob.full'), values);
  return fill(t(r.month ? 'dob.month' : 'dob.year'), values);
}

// Shows back what the date field means, or says what is missing, as the resident types.
export function showDob(m) {
  const r = parseDate($(m, 'dob').value);
  const out = $(m, 'dob-shown');
  const text = describeDate(r);
  out.dataset.state = r.dob ? 'ok' : r.empty ? '' : 'partial';
  if (r.dob) out.textContent = fill(t('dob.shown'), { date: text });
  else if (r.partial) out.textContent = `${text} — ${t('err.dateDay')}`;
  else out.textContent = '';
}

export function addMember() {
  const node = document.getElementById('member-template').content.firstElementChild.cloneNode(true);
  const prefix = `m${++uid}`;
  node.id = prefix;
  wire(node, prefix);
  SEX_KEYS.forEach((key, i) =>
    $(node, 'sex').append(choice('radio', `${prefix}-sex`, String(i), { key })),
  );
  $(node, 'sex').querySelector('input').checked = true;
  const rel = $(node, 'relationship');
  rel.append(choice('radio', `${prefix}-rel`, '', { key: 'rel.' }));
  for (const r of RELATIONSHIPS)
    rel.append(choice('radio', `${prefix}-rel`, r, { key: `rel.${r}` }));
  rel.querySelector(`input[value="${members().length === 0 ? 'head' : ''}"]`).checked = true;
  const nat = $(node, 'nationality');
  nat.append(choice('radio', `${prefix}-nat`, '', { key: 'nat.' }));
  for (const code of NATIONALITIES) {
    const c = choice('radio', `${prefix}-nat`, code, { text: code });
    c.querySelector('span > span').dataset.region = code;
    nat.append(c);
  }
  nat.append(choice('radio', `${prefix}-nat`, 'other', { key: 'nat.other' }));
  nat.querySelector('input').checked = true;
  nat.addEventListener('change', () => {
    node.querySelector('[data-show="nationality-other"]').hidden = natValue(node) !== 'other';
  });
  fillLanguageChoices($(node, 'language'), `${prefix}-lang`, true);
  for (const code of NEED_CODES) {
    $(node, 'needs').append(choice('checkbox', `${prefix}-needs`, code, { key: `need.${code}` }));
  }
  for (const code of ALLERGEN_CODES) {
    $(node, 'allergies').append(
      choice('checkbox', `${prefix}-alg`, code, { key: ALLERGEN_KEY(code) }),
    );
  }
  const care = $(node, 'care');
  care.append(choice('radio', `${prefix}-care`, '0', { key: 'care.0' }));
  for (let i = 1; i <= 5; ++i)
    care.append(choice('radio', `${prefix}-care`, String(i), { key: 'care.n', n: i }));
  care.querySelector('input').checked = true;
  // Consent is the resident's choice: every box starts unticked (0 = tell nobody).
  for (const [k, bit] of Object.entries(CONSENT)) {
    $(node, 'consent').append(
      choice('checkbox', `${prefix}-consent`, String(bit), {
        key: `consent.${k}`,
        hintKey: `consent.${k}.hint`,
      }),
    );
  }
  question(node, 'needs');
  question(node, 'details');
  $(node, 'dob').addEventListener('input', () => showDob(node));
  document.getElementById('members').append(node);
  refreshRegionNames(node);
  renumber();
  return node;
}

export function addPet() {
  const node = document.getElementById('pet-template').content.firstElementChild.cloneNode(true);
  const prefix = `p${++uid}`;
  wire(node, prefix);
  $(node, 'mode').append(
    choice('radio', `${prefix}-mode`, '1', { key: 'pet.together' }),
    choice('radio', `${prefix}-mode`, '0', { key: 'pet.apart' }),
  );
  $(node, 'mode').querySelector('input[value="1"]').checked = true;
  asciiOnInput($(node, 'count'));
  document.getElementById('pets').append(node);
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
const natValue = (m) => checked($(m, 'nationality'))[0] || '';

// Reads the whole form: {pre, problems}, problems as [{el, key}] the page found itself
// (dates, pet counts); limits are checked by checkJpr1 on `pre`. A folded part counts only
// when its question was answered "yes".
export function readForm() {
  const problems = [];
  const val = (el) => el.value.trim();
  const open = (root, name) => !root.querySelector(`[data-fold="${name}"]`).hidden;
  const pre = {};
  const form = document.getElementById('form');
  const hhOpen = open(form, 'household');
  for (const el of document.querySelectorAll('[data-h]')) {
    pre[el.dataset.h] = el.closest('[data-fold]') && !hhOpen ? '' : val(el);
  }
  // The household's language is the page's unless the resident chose another.
  pre.language =
    (hhOpen && checked(document.getElementById('hh-language'))[0]) || currentLanguage();
  pre.members = members().map((m) => {
    const dob = parseDate($(m, 'dob').value);
    if (dob.error) problems.push({ el: $(m, 'dob'), key: `err.${dob.error}` });
    else if (dob.partial) problems.push({ el: $(m, 'dob'), key: 'err.dateDay' });
    const needsOpen = open(m, 'needs');
    const details = open(m, 'details');
    const nat = details ? natValue(m) : '';
    const otherAllergies = val($(m, 'allergy-other'))
      .split(/[、,，､;；\n]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      name: val($(m, 'name')),
      kana: val($(m, 'kana')),
      dob: dob.dob || '',
      sex: Number(checked($(m, 'sex'))[0] || 0),
      relationship: details
        ? checked($(m, 'relationship'))[0] || ''
        : members().indexOf(m) === 0
          ? 'head'
          : '',
      nationality: nat === 'other' ? val($(m, 'nationality-other')) : nat,
      language: details ? checked($(m, 'language'))[0] || '' : '',
      phone: details ? val($(m, 'phone')) : '',
      needs: needsOpen ? checked($(m, 'needs')) : [],
      allergies: needsOpen ? [...checked($(m, 'allergies')), ...otherAllergies] : [],
      careLevel: needsOpen ? Number(checked($(m, 'care'))[0] || 0) : 0,
      evacSupport: needsOpen && $(m, 'evac').checked,
      consent: checked($(m, 'consent')).reduce((a, b) => a | Number(b), 0),
      note: details ? val($(m, 'note')) : '',
    };
  });
  pre.pets = pets().map((p) => {
    const count = $(p, 'count').value.trim();
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
    if (parts[0] === 'language') return document.querySelector('#hh-language input');
    return document.querySelector(`[data-h="${parts[0]}"]`);
  }
  const [list, index, key] = parts;
  const root = (list === 'members' ? members() : pets())[Number(index)];
  const map = { allergies: 'allergy-other', careLevel: 'care' };
  if (key === 'nationality' && natValue(root) === 'other') return $(root, 'nationality-other');
  const el = $(root, map[key] || key);
  return el && el.tagName === 'DIV' ? el.querySelector('input') : el;
}

// The names in the form, for the printed card.
export function memberNames(pre) {
  return pre.members.map((m) => m.name || m.kana);
}

// The household's own question, once when the page starts.
export function setupHousehold() {
  question(document.getElementById('form'), 'household');
}

// Empties the whole form: one member, no pets, every question unanswered.
export function resetForm() {
  for (const el of document.querySelectorAll('[data-h]')) el.value = '';
  const form = document.getElementById('form');
  for (const i of form.querySelectorAll('[data-q="household"] input')) i.checked = false;
  form.querySelector('[data-fold="household"]').hidden = true;
  fillLanguageChoices(document.getElementById('hh-language'), 'hh-lang', false);
  document.getElementById('members').replaceChildren();
  document.getElementById('pets').replaceChildren();
  addMember();
  renumber();
}
