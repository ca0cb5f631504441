#!/usr/bin/env node
// Builds the public certificate verifier page: node build.mjs OUT_DIR DEPS_DIR
// Installs the npm packages of package-lock.json into DEPS_DIR (npm ci, only when the lock
// changed), then writes the page into OUT_DIR: its own files, the Base45 module it shares with the
// pre-registration page, the libraries under vendor/ (jsQR, @noble/ed25519, pdf.js) with their
// licences, the strings of the three languages as i18n/strings.js, and a service worker that
// keeps every file. OUT_DIR plus the municipality's config.json and signed lists is what goes on
// the web server (README "Publishing the certificate verifier"). Fails when a language lacks a key.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.dirname(fileURLToPath(import.meta.url));
const main = process.argv[1] === fileURLToPath(import.meta.url);
const [out, deps] = main ? process.argv.slice(2).map((p) => path.resolve(p)) : [];
if (main && (!out || !deps)) {
  console.error('usage: node build.mjs OUT_DIR DEPS_DIR');
  process.exit(2);
}

const read = (p) => fs.readFileSync(p);
const same = (a, b) => fs.existsSync(a) && fs.existsSync(b) && read(a).equals(read(b));

function installDeps() {
  fs.mkdirSync(deps, { recursive: true });
  const lock = path.join(src, 'package-lock.json');
  if (
    same(lock, path.join(deps, 'package-lock.json')) &&
    fs.existsSync(path.join(deps, 'node_modules', '.package-lock.json'))
  ) {
    return;
  }
  for (const f of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(src, f), path.join(deps, f));
  console.log(`== npm ci in ${deps}`);
  // pdf.js's optional native canvas is for node only; the page draws in the browser.
  const r = spawnSync(
    'npm',
    ['ci', '--no-audit', '--no-fund', '--omit=optional', '--prefix', deps],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('npm ci failed');
    process.exit(1);
  }
}

// The languages of the page, in the order of its buttons.
export const ORDER = ['ja', 'en', 'ja-easy'];
// Words the page shares with the tablet app's verify screen come from the app's catalog
// (assets/i18n): certificate fields, damage levels, verdicts and their reasons.
export const SHARED = (key) =>
  /^(cert|damage|flood|verify\.status|verify\.reason)\./.test(key) ||
  [
    'lang.name',
    'verify.not_valid',
    'verify.detail',
    'verify.clear',
    'verify.claims_valid',
    'verify.lists',
    'verify.lists_no_status',
    'verify.no_qr_in_file',
  ].includes(key);

// One key, one source: a page key the app also has, a key missing or empty in a language, or a
// placeholder that differs from Japanese is a problem.
export function mergeStrings(appDir, pageDir) {
  const json = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
  const strings = {};
  const problems = [];
  for (const lang of ORDER) {
    const app = json(path.join(appDir, `${lang}.json`));
    const file = path.join(pageDir, `${lang}.json`);
    const own = fs.existsSync(file) ? json(file) : (problems.push(`${lang}: no ${file}`), {});
    for (const k of Object.keys(own)) {
      if (SHARED(k)) problems.push(`${lang}: ${k} belongs to the app's catalog (assets/i18n)`);
    }
    const shared = Object.fromEntries(Object.entries(app).filter(([k]) => SHARED(k)));
    strings[lang] = { ...shared, ...own };
  }
  const keys = new Set(ORDER.flatMap((l) => Object.keys(strings[l])));
  const holes = (s) =>
    [...String(s).matchAll(/\{[a-z]+\}/g)]
      .map((m) => m[0])
      .sort()
      .join();
  for (const lang of ORDER) {
    for (const k of keys) {
      const v = strings[lang][k];
      if (typeof v !== 'string' || !v.trim()) problems.push(`${lang}: missing ${k}`);
      else if (holes(v) !== holes(strings.ja[k] ?? '')) {
        problems.push(`${lang}: ${k} has placeholders ${holes(v)}, ja has ${holes(strings.ja[k])}`);
      }
    }
  }
  return { strings, problems };
}

// [destination in the page, file in node_modules] of every library file the page loads.
const VENDOR = [
  ['vendor/jsqr.js', 'jsqr/dist/jsQR.js'],
  ['vendor/ed25519.mjs', '@noble/ed25519/index.js'],
  ['vendor/pdfjs/pdf.min.mjs', 'pdfjs-dist/build/pdf.min.mjs'],
  ['vendor/pdfjs/pdf.worker.min.mjs', 'pdfjs-dist/build/pdf.worker.min.mjs'],
];
const LICENSES = [
  ['jsQR', 'jsqr/LICENSE'],
  ['@noble/ed25519', '@noble/ed25519/LICENSE'],
  ['pdf.js (pdfjs-dist)', 'pdfjs-dist/LICENSE'],
];

if (main) {
  const merged = mergeStrings(path.join(src, '..', 'i18n'), path.join(src, 'i18n'));
  if (merged.problems.length) {
    console.error(`translations are incomplete:\n  ${merged.problems.join('\n  ')}`);
    process.exit(1);
  }
  installDeps();
  const modules = path.join(deps, 'node_modules');
  fs.rmSync(out, { recursive: true, force: true });
  const files = [];
  const hash = createHash('sha256');
  const put = (rel, data) => {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), data);
    files.push(rel);
    hash.update(rel).update(data);
  };
  for (const rel of ['index.html', 'style.css', 'icon.svg', 'manifest.webmanifest']) {
    put(rel, read(path.join(src, rel)));
  }
  for (const f of fs.readdirSync(path.join(src, 'js')).sort()) {
    if (f.endsWith('.js')) put(`js/${f}`, read(path.join(src, 'js', f)));
  }
  put('js/base45.js', read(path.join(src, '..', 'prereg', 'js', 'base45.js')));
  put(
    'i18n/strings.js',
    '// Generated by build.mjs from assets/i18n (shared words) and assets/verify/i18n.\n' +
      `export const ORDER = ${JSON.stringify(ORDER)};\n` +
      `export const STRINGS = ${JSON.stringify(merged.strings, null, 1)};\n`,
  );
  for (const [rel, from] of VENDOR) put(rel, read(path.join(modules, from)));
  put(
    'vendor/LICENSES.txt',
    LICENSES.map(([name, f]) => `==== ${name}\n\n${read(path.join(modules, f))}`).join('\n'),
  );

  const version = hash.digest('hex').slice(0, 16);
  const sw = read(path.join(src, 'sw.js'))
    .toString()
    .replace('__VERSION__', version)
    .replace('__FILES__', JSON.stringify(['./', ...files]));
  fs.writeFileSync(path.join(out, 'sw.js'), sw);
  fs.copyFileSync(path.join(src, 'config.example.json'), path.join(out, 'config.example.json'));
  console.log(`== certificate verifier page ${version}: ${files.length + 1} files in ${out}`);
}
