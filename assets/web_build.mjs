// What the static pages' build scripts share (assets/prereg/build.mjs, assets/verify/build.mjs):
// npm ci into a dependency folder only when the lock changed, the merge of the page's strings with
// the tablet app's catalog, and a site folder whose service worker lists and versions every file.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const read = (p) => fs.readFileSync(p);
const same = (a, b) => fs.existsSync(a) && fs.existsSync(b) && read(a).equals(read(b));

// The packages of src/package-lock.json into deps/node_modules; nothing when they are there.
export function installDeps(src, deps, extraArgs = []) {
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
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', ...extraArgs, '--prefix', deps], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('npm ci failed');
    process.exit(1);
  }
}

// Words a page shares with the tablet app (keys for which shared(key) holds) come from the app's
// catalog (appDir/<lang>.json), the rest from the page's own pageDir/<lang>.json, for `order`.
// One key, one source: a page key the app also has, a key missing or empty in any language, or a
// placeholder ({n}, {date}...) that differs from the first language's is a problem. {mon} (a
// month's name) may stand for {m} (its number).
export function mergeStrings(appDir, pageDir, order, shared) {
  const json = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
  const strings = {};
  const problems = [];
  for (const lang of order) {
    const app = json(path.join(appDir, `${lang}.json`));
    const file = path.join(pageDir, `${lang}.json`);
    const own = fs.existsSync(file) ? json(file) : (problems.push(`${lang}: no ${file}`), {});
    for (const k of Object.keys(own)) {
      if (shared(k)) problems.push(`${lang}: ${k} belongs to the app's catalog (assets/i18n)`);
    }
    const common = Object.fromEntries(Object.entries(app).filter(([k]) => shared(k)));
    strings[lang] = { ...common, ...own };
  }
  const keys = new Set(order.flatMap((l) => Object.keys(strings[l])));
  const holes = (s) =>
    [...String(s).matchAll(/\{[a-z]+\}/g)]
      .map((m) => (m[0] === '{mon}' ? '{m}' : m[0]))
      .sort()
      .join();
  const first = order[0];
  for (const lang of order) {
    for (const k of keys) {
      const v = strings[lang][k];
      if (typeof v !== 'string' || !v.trim()) problems.push(`${lang}: missing ${k}`);
      else if (holes(v) !== holes(strings[first][k] ?? '')) {
        problems.push(
          `${lang}: ${k} has placeholders ${holes(v)}, ${first} has ${holes(strings[first][k])}`,
        );
      }
    }
  }
  return { order, strings, problems };
}

// Stops the build when the strings are incomplete.
export function requireComplete(merged) {
  if (!merged.problems.length) return;
  console.error(`translations are incomplete:\n  ${merged.problems.join('\n  ')}`);
  process.exit(1);
}

// A new site folder (out is emptied): put(rel, data) writes a file the service worker will keep;
// finish(swSource) writes sw.js with __VERSION__ (a hash of every file) and __FILES__ filled in and
// returns {version, count}.
export function site(out) {
  fs.rmSync(out, { recursive: true, force: true });
  const files = [];
  const hash = createHash('sha256');
  const put = (rel, data) => {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), data);
    files.push(rel);
    hash.update(rel).update(data);
  };
  const finish = (swSource) => {
    const version = hash.digest('hex').slice(0, 16);
    const sw = read(swSource)
      .toString()
      .replace('__VERSION__', version)
      .replace('__FILES__', JSON.stringify(['./', ...files]));
    fs.writeFileSync(path.join(out, 'sw.js'), sw);
    return { version, count: files.length + 1 };
  };
  return { put, finish };
}
