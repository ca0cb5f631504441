// The public certificate verifier: reads a JDV1 QR code (camera, photo, PDF or pasted text),
// verifies it against the municipality's signed trust list and status list, and shows the verdict
// and, only for a valid certificate, what it says. JTL1/JSL1 codes and list files update the
// lists. Nothing is sent anywhere (see the Content-Security-Policy in index.html).

import { verifyJdv1 } from './certificate.js';
import { formatDateInt, formatUnix } from './dates.js';
import {
  LANGUAGES,
  applyLanguage,
  currentLanguage,
  htmlLang,
  initialLanguage,
  t,
  tIn,
} from './i18n.js';
import { CameraScanner, textInPdf, textInPhoto } from './scan.js';
import { listBytesOf, listBytesOfText, loadConfig, loadLists, offerList, state } from './store.js';
import { prefixOf } from './wire.js';

const byId = (id) => document.getElementById(id);
let shown = null; // the verification on screen, redrawn when the language changes
let camera = null;
let renders = 0; // data-seq on the result: a new verdict is told from the one before

const notices = {}; // id -> [key, values]: translated again when the language changes

function setNotice(id, key, values, bad = false) {
  const n = byId(id);
  notices[id] = [key, values];
  n.hidden = !key;
  n.classList.toggle('bad', bad);
  n.textContent = key ? t(key, values) : '';
}

function row(dl, labelKey, value) {
  if (value === undefined || value === null || value === '') return;
  const dt = document.createElement('dt');
  dt.textContent = t(labelKey);
  const dd = document.createElement('dd');
  dd.textContent = value;
  dl.append(dt, dd);
}

function fillClaims(dl, c, key) {
  const lang = currentLanguage();
  const d = (x) => formatDateInt(x, lang);
  dl.replaceChildren();
  row(dl, 'cert.type', t(`cert.type.${c.type}`));
  row(
    dl,
    'cert.serial',
    c.issueNo > 1 ? `${c.serial} ${t('cert.issue_no', { n: c.issueNo })}` : c.serial,
  );
  const muni = c.municipalityName || state.trust?.name || state.config?.municipality_name || '';
  row(dl, 'claim.municipality', muni ? `${muni}（${c.issuerCode}）` : c.issuerCode);
  row(dl, 'cert.head', c.headName);
  if (c.type === 'hinan') {
    row(dl, 'cert.address', c.site);
    row(dl, 'cert.shelter', c.shelterName);
    if (c.stayFrom) {
      row(
        dl,
        'cert.stay',
        c.stayTo
          ? t('cert.stay_range', { from: d(c.stayFrom), to: d(c.stayTo) })
          : t('cert.stay_open', { from: d(c.stayFrom) }),
      );
    }
  } else {
    if (c.headAddress !== c.site) row(dl, 'cert.address', c.headAddress);
    row(dl, 'cert.site', c.site);
  }
  if (c.disaster)
    row(dl, 'cert.disaster', [c.disaster, d(c.disasterDate)].filter(Boolean).join(' '));
  if (c.level) row(dl, 'cert.level', t(`damage.${c.level}`));
  if (c.flood) row(dl, 'cert.flood', t(`flood.${c.flood}`));
  row(dl, 'cert.damage', c.damageNote);
  if (c.members.length) row(dl, 'cert.members', c.members.join('、'));
  row(dl, 'cert.certified_on', d(c.certifiedOn));
  row(dl, 'claim.issuer_name', c.issuerName || key?.title);
  row(dl, 'cert.issued_at', formatUnix(c.issuedAt, lang));
}

function reasonOf(v) {
  const lang = currentLanguage();
  switch (v.status) {
    case 'valid':
      return t(v.revocationChecked ? 'verify.reason.valid' : 'verify.reason.valid_unchecked');
    case 'revoked':
      if (v.revocation.belowIssue)
        return t('verify.reason.superseded', { n: v.revocation.belowIssue });
      return t('verify.reason.revoked', { date: formatUnix(v.revocation.at, lang) });
    case 'key_expired':
      return t('verify.reason.key_expired', {
        from: formatUnix(v.key.notBefore, lang),
        to: formatUnix(v.key.notAfter, lang),
      });
    case 'key_not_allowed':
      if (v.otherMunicipality)
        return t('verify.reason.other_municipality', { code: v.otherMunicipality });
      return t('verify.reason.key_not_allowed');
    default:
      return t(`verify.reason.${v.status}`);
  }
}

function render() {
  const box = byId('result');
  if (!shown) {
    box.hidden = true;
    return;
  }
  const v = shown;
  const lang = currentLanguage();
  box.hidden = false;
  box.dataset.status = v.status;
  box.dataset.source = v.source;
  box.dataset.seq = String(++renders);
  const superseded = v.status === 'revoked' && v.revocation.belowIssue > 0;
  byId('verdict-mark').textContent = v.status === 'valid' ? '✓' : '✗';
  byId('verdict-text').textContent =
    t(`verify.status.${superseded ? 'superseded' : v.status}`) +
    (v.status === 'valid' ? '' : ` — ${t('verify.not_valid')}`);
  byId('verdict-reason').textContent = reasonOf(v);

  const rev = byId('revocation');
  rev.replaceChildren();
  if (v.status === 'revoked') {
    row(rev, 'revoked.at', formatUnix(v.revocation.at, lang));
    if (v.revocation.reason) row(rev, 'revoked.reason', t(`revoke.reason.${v.revocation.reason}`));
  }
  if (v.status === 'key_expired') {
    row(
      rev,
      'key.validity',
      `${formatUnix(v.key.notBefore, lang)} – ${formatUnix(v.key.notAfter, lang)}`,
    );
  }
  rev.hidden = !rev.childElementCount;

  // What the certificate says, for a valid one only: an invalid certificate's claims are not shown.
  const claims = byId('claims');
  if (v.status === 'valid' && v.claims) {
    fillClaims(claims, v.claims, v.key);
    byId('claims-box').hidden = false;
  } else {
    claims.replaceChildren();
    byId('claims-box').hidden = true;
  }
  byId('result-lists').textContent = listsLine();
  byId('result-detail').textContent = `${v.status}: ${v.reason}`;
}

function listsLine() {
  if (!state.trust) return '';
  if (!state.status) return t('verify.lists_no_status', { trust: state.trust.version });
  return t('verify.lists', {
    trust: state.trust.version,
    status: state.status.version,
    date: formatUnix(state.status.issuedAt, currentLanguage()),
  });
}

function renderLists() {
  const p = byId('lists-state');
  const lang = currentLanguage();
  const parts = [];
  if (state.trust) {
    parts.push(
      t('lists.trust', { n: state.trust.version, date: formatUnix(state.trust.issuedAt, lang) }),
    );
    parts.push(
      state.status
        ? t('lists.status', {
            n: state.status.version,
            date: formatUnix(state.status.issuedAt, lang),
          })
        : t('lists.no_status'),
    );
  } else if (state.config) {
    parts.push(t('lists.none'));
  }
  p.textContent = parts.join(' / ');
  p.dataset.trustVersion = state.trust ? String(state.trust.version) : '';
  p.dataset.statusVersion = state.status ? String(state.status.version) : '';
  const cfg = state.config;
  const name = state.trust?.name || cfg?.municipality_name || '';
  byId('municipality').textContent = cfg
    ? t('muni.line', { name, code: cfg.municipality_code })
    : '';
  byId('page-address').textContent = cfg?.page_url ? t('page.address', { url: cfg.page_url }) : '';
}

async function takeList(bytesPromise) {
  try {
    const { kind, list, result } = await offerList(await bytesPromise);
    const what = kind === 'JTL1' ? 'trust' : 'status';
    setNotice('lists-notice', result === 'older' ? 'lists.older' : `lists.updated.${what}`, {
      n: list.version,
    });
    renderLists();
    if (shown) render();
  } catch (e) {
    const key = { signature: 'lists.bad_signature', municipality: 'lists.other_municipality' }[
      e.kind
    ];
    setNotice('lists-notice', key || 'lists.bad', {}, true);
  }
  byId('lists-notice').scrollIntoView({ block: 'nearest' });
}

// A text read from any source: a list updates the lists, anything else is checked as a certificate.
async function handleText(text, source) {
  const prefix = prefixOf(text);
  if (prefix === 'JTL1:' || prefix === 'JSL1:') {
    setNotice('read-notice', '');
    if (source === 'text') byId('text-input').value = '';
    await takeList(listBytesOfText(text));
    return;
  }
  if (!state.config) return;
  if (!state.trust) {
    setNotice('read-notice', 'lists.none', {}, true);
    return;
  }
  if (typeof DecompressionStream === 'undefined') {
    setNotice('read-notice', 'read.unsupported', {}, true);
    return;
  }
  setNotice('read-notice', '');
  shown = { ...(await verifyJdv1(text, state.trust, state.status)), source };
  render();
  byId('result').focus({ preventScroll: true });
  byId('result').scrollIntoView({ block: 'start' });
}

async function readFile(input, finder, source) {
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  setNotice('read-notice', 'read.working');
  const text = await finder(byId('work'), file);
  if (!text) {
    setNotice('read-notice', 'verify.no_qr_in_file', {}, true);
    return;
  }
  await handleText(text, source);
}

async function startCamera() {
  stopCamera();
  camera = new CameraScanner(byId('video'), byId('work'));
  byId('camera-box').hidden = false;
  byId('camera-start').hidden = true;
  setNotice('read-notice', '');
  try {
    await camera.start((text) => {
      if (!prefixOf(text)) return true; // some other QR code: keep looking
      stopCamera();
      handleText(text, 'camera');
      return false;
    });
  } catch {
    stopCamera();
    setNotice('read-notice', 'read.camera.denied', {}, true);
  }
}

function stopCamera() {
  camera?.stop();
  camera = null;
  byId('camera-box').hidden = true;
  byId('camera-start').hidden = false;
}

function setLanguage(lang) {
  applyLanguage(lang);
  for (const b of document.querySelectorAll('[data-set-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.setLang === currentLanguage()));
  }
  for (const [id, [key, values]] of Object.entries(notices)) {
    if (key) byId(id).textContent = t(key, values);
  }
  renderLists();
  render();
}

async function start() {
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
  byId('camera-start').addEventListener('click', startCamera);
  byId('camera-stop').addEventListener('click', stopCamera);
  byId('photo-input').addEventListener('change', (e) => readFile(e.target, textInPhoto, 'photo'));
  byId('pdf-input').addEventListener('change', (e) => readFile(e.target, textInPdf, 'pdf'));
  byId('text-check').addEventListener('click', () => handleText(byId('text-input').value, 'text'));
  byId('list-input').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) takeList(file.arrayBuffer().then((b) => listBytesOf(new Uint8Array(b))));
  });
  byId('clear').addEventListener('click', () => {
    shown = null;
    byId('text-input').value = '';
    render();
  });
  setLanguage(initialLanguage());

  const problem = await loadConfig();
  if (problem) {
    byId('setup-error').dataset.i18n = problem; // translated again when the language changes
    byId('setup-error').textContent = t(problem);
    byId('setup-error').hidden = false;
  } else {
    await loadLists();
  }
  renderLists();
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('./sw.js').catch(() => {});
  }
  document.body.dataset.ready = problem ? 'unconfigured' : 'ready';
}

start();
