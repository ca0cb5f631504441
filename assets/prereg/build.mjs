#!/usr/bin/env node
// Builds the static page: node build.mjs OUT_DIR DEPS_DIR
// Installs the npm packages of package-lock.json into DEPS_DIR (npm ci, only when the lock
// changed), then writes the page into OUT_DIR with the QR library under vendor/ and a service
// worker that keeps every file. OUT_DIR is what a municipality puts on its web server.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.dirname(fileURLToPath(import.meta.url));
const [out, deps] = process.argv.slice(2).map((p) => path.resolve(p));
if (!out || !deps) {
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
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', deps], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('npm ci failed');
    process.exit(1);
  }
}

// The page's own files, relative to src.
function pageFiles() {
  const list = ['index.html', 'style.css', 'icon.svg', 'manifest.webmanifest'];
  for (const dir of ['js', 'i18n']) {
    for (const f of fs.readdirSync(path.join(src, dir)).sort()) {
      if (f.endsWith('.js')) list.push(`${dir}/${f}`);
    }
  }
  return list;
}

installDeps();
fs.rmSync(out, { recursive: true, force: true });
const files = [];
const hash = createHash('sha256');
const put = (rel, data) => {
  fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  fs.writeFileSync(path.join(out, rel), data);
  files.push(rel);
  hash.update(rel).update(data);
};
for (const rel of pageFiles()) put(rel, read(path.join(src, rel)));
put(
  'vendor/qrcode.mjs',
  read(path.join(deps, 'node_modules', 'qrcode-generator', 'dist', 'qrcode.mjs')),
);

const version = hash.digest('hex').slice(0, 16);
const sw = read(path.join(src, 'sw.js'))
  .toString()
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(['./', ...files]));
fs.writeFileSync(path.join(out, 'sw.js'), sw);
console.log(`== pre-registration page ${version}: ${files.length + 1} files in ${out}`);
