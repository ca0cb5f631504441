// The pre-registration page's modules without a browser, for prereg_page_test.sh:
//   node prereg_unit_test.mjs SITE_DIR SOURCE_DIR
// dates as people write them (and a random-input run: never a throw, never a wrong date), the
// six languages (every key in every language, the app's shared words, a build that stops on a
// missing key), and the QR symbol's version and error-correction level.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

const [site, src] = process.argv.slice(2).map((p) => path.resolve(p));
const load = (rel) => import(pathToFileURL(path.join(site, rel)));
const { parseDate, eraOf, MAX_INPUT } = await load('js/dates.js');
const { isRealDate } = await load('js/jpr1.js');

// ---------------------------------------------------------------------------------------------
// Dates. "today" is fixed so that the test means the same every day.
const TODAY = '2026-12-02';
const full = (text, dob, era, eraYear) => {
  const r = parseDate(text, TODAY);
  check(
    r.dob === dob && r.era?.id === era && r.era?.year === eraYear,
    `date "${text}" is ${dob} (${era} ${eraYear}): got ${JSON.stringify(r)}`,
  );
};
full('昭和15年8月15日', '1940-08-15', 'showa', 15);
full('S15.8.15', '1940-08-15', 'showa', 15);
full('s15/8/15', '1940-08-15', 'showa', 15);
full('Ｓ１５．８．１５', '1940-08-15', 'showa', 15);
full('昭和１５年８月１５日生', '1940-08-15', 'showa', 15);
full('㍼15年8月15日', '1940-08-15', 'showa', 15);
full('1940-08-15', '1940-08-15', 'showa', 15);
full('1940/8/15', '1940-08-15', 'showa', 15);
full('1940年8月15日', '1940-08-15', 'showa', 15);
full('1940년 8월 15일', '1940-08-15', 'showa', 15);
full('19400815', '1940-08-15', 'showa', 15);
full('15/08/1940', '1940-08-15', 'showa', 15);
full('H1.1.8', '1989-01-08', 'heisei', 1);
full('平成元年1月8日', '1989-01-08', 'heisei', 1);
full('昭和64年1月7日', '1989-01-07', 'showa', 64);
full('R6.2.29', '2024-02-29', 'reiwa', 6);
full('令和元年5月1日', '2019-05-01', 'reiwa', 1);
full('T15.12.24', '1926-12-24', 'taisho', 15);
full('M33.1.1', '1900-01-01', 'meiji', 33);
full(' 2026-12-02 ', '2026-12-02', 'reiwa', 8);

const partial = (text, year, era, eraYear) => {
  const r = parseDate(text, TODAY);
  check(
    r.partial === true && r.year === year && r.era?.id === era && r.era?.year === eraYear,
    `"${text}" is understood as the year ${year} (${era} ${eraYear}) and asks for month and day`,
  );
};
partial('昭和15年', 1940, 'showa', 15);
partial('S15', 1940, 'showa', 15);
partial('昭和15', 1940, 'showa', 15);
partial('1940', 1940, 'showa', 15);
partial('1940年', 1940, 'showa', 15);
partial('R6', 2024, 'reiwa', 6);
partial('H1', 1989, 'heisei', 1);
partial('昭和15年8月', 1940, 'showa', 15);

const refused = (text, error) => {
  const r = parseDate(text, TODAY);
  check(r.error === error && !r.dob, `"${text}" is refused (${error}): got ${JSON.stringify(r)}`);
};
refused('昭和65年', 'era');
refused('昭和65年1月1日', 'era');
refused('平成0', 'era');
refused('平成0年1月1日', 'era');
refused('平成32年', 'era');
refused('令和9年', 'era'); // 2027: not yet
refused('昭和64年1月8日', 'era'); // that day is 平成元年
refused('平成31年5月1日', 'era'); // that day is 令和元年
refused('H1.1.7', 'era');
refused('2027-01-01', 'future');
refused('2026-12-03', 'future');
refused('R8.12.3', 'future');
refused('2030', 'future');
refused('1899-12-31', 'old');
refused('1940-02-30', 'date');
refused('1940-13-01', 'date');
refused('S15.2.30', 'date');
refused('08/05/1940', 'dayFirst'); // 8 May or 5 August: the resident is asked for year first
refused('15', 'date'); // a bare number is no year
refused('昭和', 'date');
refused('X15.8.15', 'date');
refused('yesterday', 'date');
refused('1'.repeat(MAX_INPUT + 1), 'date');
check(parseDate('   ', TODAY).empty === true, 'a blank field is no date and no error');
check(eraOf('1989-01-07').id === 'showa' && eraOf('1989-01-08').id === 'heisei', 'era borders');

// Random input from the characters people type into the field: never a throw, and whatever is
// accepted is a real date between 1900 and today.
const ALPHABET = '0123456789０１２３４５６７８９ ./-年月日元昭和平成令和大正明治STHRMsthr生年월일';
let seed = 7;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % n;
};
let threw = 0;
let wrong = 0;
let accepted = 0;
for (let i = 0; i < 20000; ++i) {
  let text = '';
  for (let k = rand(14); k >= 0; --k) text += ALPHABET[rand(ALPHABET.length)];
  try {
    const r = parseDate(text, TODAY);
    if (r.dob) {
      accepted += 1;
      if (!isRealDate(r.dob) || r.dob > TODAY || r.dob < '1900-01-01') wrong += 1;
    }
  } catch {
    threw += 1;
  }
}
check(
  threw === 0 && wrong === 0,
  `20,000 random date texts: no throw, every accepted date real (${accepted} accepted)`,
);

// ---------------------------------------------------------------------------------------------
// Six languages from one source. The page's words are in assets/prereg/i18n/<lang>.json, the
// words it shares with the app (needs, allergens, sex, language names) in assets/i18n.
const { mergeStrings, SHARED } = await import(
  pathToFileURL(path.join(src, 'assets', 'prereg', 'build.mjs'))
);
const { ORDER, STRINGS } = await load('i18n/strings.js');
const appDir = path.join(src, 'assets', 'i18n');
check(
  JSON.stringify(ORDER) ===
    JSON.stringify(JSON.parse(fs.readFileSync(path.join(appDir, 'languages.json'), 'utf8'))) &&
    ['ja', 'ja-easy', 'en', 'zh-Hans', 'ko', 'vi'].every((l) => ORDER.includes(l)),
  `the page has the app's six languages in the app's order: ${ORDER.join(' ')}`,
);
const jaKeys = Object.keys(STRINGS.ja);
const holes = ORDER.flatMap((l) =>
  jaKeys.filter((k) => !STRINGS[l][k]?.trim()).map((k) => `${l}:${k}`),
);
check(
  holes.length === 0,
  `every language has all ${jaKeys.length} keys${holes.length ? `: missing ${holes.join(' ')}` : ''}`,
);
let sharedCount = 0;
const differ = [];
for (const lang of ORDER) {
  const app = JSON.parse(fs.readFileSync(path.join(appDir, `${lang}.json`), 'utf8'));
  for (const k of Object.keys(STRINGS[lang]).filter(SHARED)) {
    sharedCount += 1;
    if (STRINGS[lang][k] !== app[k]) differ.push(`${lang}:${k}`);
  }
}
check(
  sharedCount >= 6 * 29 && differ.length === 0,
  `${sharedCount} shared words are the app's own (needs, allergens, sex, language names)` +
    (differ.length ? `; differ: ${differ.join(' ')}` : ''),
);
// Every key the page's HTML and scripts name exists.
const used = new Set();
const html = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
for (const m of html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([^"]+)"/g)) used.add(m[1]);
const prefixes = new Set(jaKeys.map((k) => k.split('.')[0]));
for (const f of fs.readdirSync(path.join(site, 'js'))) {
  const js = fs.readFileSync(path.join(site, 'js', f), 'utf8');
  for (const m of js.matchAll(/(?<!startsWith\()'([a-z][a-zA-Z]*\.[a-zA-Z0-9.-]*)'/g)) {
    if (prefixes.has(m[1].split('.')[0])) used.add(m[1]);
  }
}
const unknown = [...used].filter((k) => !(k in STRINGS.ja));
check(
  used.size > 60 && unknown.length === 0,
  `the ${used.size} keys named in the page exist${unknown.length ? `; unknown: ${unknown.join(' ')}` : ''}`,
);
// A key missing in one language stops the build, which names it.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prereg-i18n-'));
fs.cpSync(path.join(src, 'assets', 'i18n'), path.join(tmp, 'i18n'), { recursive: true });
fs.cpSync(path.join(src, 'assets', 'prereg'), path.join(tmp, 'prereg'), { recursive: true });
fs.copyFileSync(path.join(src, 'assets', 'web_build.mjs'), path.join(tmp, 'web_build.mjs'));
const koFile = path.join(tmp, 'prereg', 'i18n', 'ko.json');
const ko = JSON.parse(fs.readFileSync(koFile, 'utf8'));
delete ko['keep.print'];
fs.writeFileSync(koFile, JSON.stringify(ko));
const merged = mergeStrings(path.join(tmp, 'i18n'), path.join(tmp, 'prereg', 'i18n'));
const built = spawnSync(
  'node',
  [path.join(tmp, 'prereg', 'build.mjs'), path.join(tmp, 'out'), path.join(tmp, 'npm')],
  { encoding: 'utf8' },
);
check(
  merged.problems.includes('ko: missing keep.print') &&
    built.status !== 0 &&
    built.stderr.includes('ko: missing keep.print') &&
    !fs.existsSync(path.join(tmp, 'out')),
  'a key missing in Korean stops the build and is named',
);
const app = JSON.parse(fs.readFileSync(path.join(tmp, 'i18n', 'vi.json'), 'utf8'));
delete app['need.ELD'];
fs.writeFileSync(path.join(tmp, 'i18n', 'vi.json'), JSON.stringify(app));
check(
  mergeStrings(path.join(tmp, 'i18n'), path.join(tmp, 'prereg', 'i18n')).problems.includes(
    'vi: missing need.ELD',
  ),
  "a shared word missing in the app's Vietnamese is found too",
);
fs.rmSync(tmp, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// The symbol: the smallest version at level L, then the highest level that fits it; paper gets
// at least M. The format's budget is 1,451 characters, a version-25 symbol at level M.
const { makeSymbol, LEVELS } = await load('js/qr_view.js');
const qrcode = (await load('vendor/qrcode.mjs')).default;
const fits = (t, version, level) => {
  try {
    const qr = qrcode(version, level);
    qr.addData(t, 'Alphanumeric');
    qr.make();
    return true;
  } catch {
    return false;
  }
};
const text = (n) => `JPR1:${'A%'.repeat(n)}`.slice(0, n);
const wrongLevels = [];
for (const n of [60, 200, 345, 500, 800, 1200, 1451]) {
  const s = makeSymbol(text(n));
  const next = LEVELS[LEVELS.indexOf(s.level) + 1];
  if (
    !fits(text(n), s.version, s.level) ||
    (s.version > 1 && fits(text(n), s.version - 1, 'L')) ||
    (next && fits(text(n), s.version, next))
  )
    wrongLevels.push(`${n}: version ${s.version}-${s.level}`);
}
check(
  wrongLevels.length === 0,
  `each code is the smallest version at L, at the highest level that fits it${wrongLevels.length ? `: ${wrongLevels.join(', ')}` : ''}`,
);
const v25 = makeSymbol(`JPR1:${'A%'.repeat(723)}`, 'M');
const v26 = makeSymbol(`JPR1:${'A%'.repeat(723)}B`, 'M');
check(
  v25.version === 25 && v26.version === 26 && v25.level === 'M',
  `1,451 characters make version ${v25.version} at M on paper, 1,452 version ${v26.version}`,
);

process.exit(failures ? 1 : 0);
