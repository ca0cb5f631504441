// Drives the pre-registration page in headless Chromium (playwright-core), for
// prereg_page_test.sh:
//   node prereg_page_test.mjs drive SITE_DIR OUT_DIR NPM_DIR
//     fills the form (Japanese, a 3-person household; English, one person), makes the QR codes,
//     writes OUT_DIR/{ja,en}.png (screenshots), .text (what the page encoded) and .expected.json
//     (what was typed), and checks language switching, validation, offline use, opt-in keeping,
//     the too-much-text message and that nothing is sent anywhere.
//   node prereg_page_test.mjs compare EXPECTED.json DECODED.json
//     compares `shelterctl prereg show --json` output with what was typed, field by field.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

// ---------------------------------------------------------------------------------------------
// What the resident types.

const JA = {
  lang: 'ja',
  household: {
    address: '東京都千代田区九段南１丁目２番１号 髙﨑ハイツ１０１',
    residence: '車中泊（区役所の駐車場）',
    phone: '090-1234-5678',
    vehicle: '品川 500 あ 12-34',
    damage: '屋根瓦が落ちた',
    note: '親族の𠮷田さんが迎えに来る予定',
  },
  pets: [
    { kind: '犬', count: '1', together: false },
    { kind: '猫', count: '２', together: true },
  ],
  members: [
    {
      name: '髙﨑 一郎',
      kana: 'たかさき いちろう',
      era: 'showa',
      year: '25',
      month: '4',
      day: '1',
      dob: '1950-04-01',
      sex: 1,
      relationship: 'head',
      nationality: 'JP',
      language: '',
      phone: '090-1111-2222',
      needs: ['ELD', 'NUR', 'MED-POWER'],
      allergies: ['buckwheat'],
      allergyOther: 'キウイ、ごま',
      care: 2,
      evac: true,
      consent: 3,
      note: '在宅酸素を使っています',
    },
    {
      name: 'Nguyễn Thị Lan',
      kana: 'グエン ティ ラン',
      era: 'western',
      year: '１９８８',
      month: '12',
      day: '31',
      dob: '1988-12-31',
      sex: 2,
      relationship: 'spouse',
      nationality: 'VN',
      language: 'vi',
      phone: '080-0000-0000',
      needs: ['FOR', 'PRG'],
      allergies: ['egg', 'shrimp'],
      allergyOther: '',
      care: 0,
      evac: false,
      consent: 6,
      note: 'ベトナム語の通訳を希望',
    },
    {
      name: '',
      kana: 'たかさき みく',
      era: 'reiwa',
      year: '3',
      month: '2',
      day: '28',
      dob: '2021-02-28',
      sex: 0,
      relationship: 'child',
      nationality: '',
      language: '',
      phone: '',
      needs: ['INF', 'ALG'],
      allergies: ['milk', 'wheat', 'peanut', 'crab', 'walnut'],
      allergyOther: '',
      care: 0,
      evac: false,
      consent: 15,
      note: '',
    },
  ],
};

const EN = {
  lang: 'en',
  household: {
    address: '2-3-4 Kanda, Chiyoda-ku, Tokyo',
    residence: '',
    phone: '03-1234-5678',
    vehicle: '',
    damage: 'Windows broken',
    note: 'We arrive by bicycle',
  },
  pets: [],
  members: [
    {
      name: 'Maria Santos',
      kana: 'マリア サントス',
      era: 'western',
      year: '1975',
      month: '7',
      day: '14',
      dob: '1975-07-14',
      sex: 2,
      relationship: 'head',
      nationality: 'other',
      nationalityOther: 'Bolivia',
      language: 'es',
      phone: '070-9999-0000',
      needs: ['DIET', 'CHR'],
      allergies: ['peanut'],
      allergyOther: 'sesame, kiwi',
      care: 0,
      evac: false,
      consent: 1,
      note: 'Halal food please',
    },
  ],
};

const SEX = ['unanswered', 'male', 'female', 'other'];
// The page lists ticked boxes in the order it shows them (core/model/entities.cpp's code order).
const NEED_ORDER =
  'ELD NUR DIS-P DIS-V DIS-H DIS-I DIS-M INF PRG FOR CHR MED MED-POWER ALG ILL DIET'.split(' ');
const ALLERGEN_ORDER = 'egg milk wheat buckwheat peanut shrimp crab walnut'.split(' ');
const inOrder = (list, order) => [...list].sort((a, b) => order.indexOf(a) - order.indexOf(b));

// The household JSON that `shelterctl prereg show --json` must print for a scenario.
function expected(s, uiLang) {
  return {
    language: s.householdLanguage || uiLang,
    household: {
      address: s.household.address,
      residence: s.household.residence,
      phone: s.household.phone,
      vehicle: s.household.vehicle,
      house_damage: s.household.damage,
      note: s.household.note,
      pets: s.pets.map((p) => ({
        kind: p.kind,
        count: Number(
          p.count.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)),
        ),
        mode: p.together ? 'together' : 'with',
      })),
      members: s.members.map((m) => ({
        name: m.name,
        kana: m.kana,
        dob: m.dob,
        sex: SEX[m.sex],
        relationship: m.relationship,
        nationality: m.nationality === 'other' ? m.nationalityOther : m.nationality,
        language: m.language,
        phone: m.phone,
        needs: inOrder(m.needs, NEED_ORDER),
        allergies: [
          ...inOrder(m.allergies, ALLERGEN_ORDER),
          ...m.allergyOther
            .split(/[、,]/)
            .map((x) => x.trim())
            .filter(Boolean),
        ],
        care_level: m.care,
        evac_support: m.evac,
        consent: {
          family: (m.consent & 1) !== 0,
          acquaintance: (m.consent & 2) !== 0,
          public: (m.consent & 4) !== 0,
          third_party: (m.consent & 8) !== 0,
        },
        note: m.note,
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Filling the form.

async function fillMember(page, index, m) {
  if (index > 0) await page.click('#add-member');
  const root = page.locator('#members > .member').nth(index);
  const f = (name) => root.locator(`[data-f="${name}"]`);
  await f('name').fill(m.name);
  await f('kana').fill(m.kana);
  await f('era').selectOption(m.era);
  await f('year').fill(m.year);
  await f('month').fill(m.month);
  await f('day').fill(m.day);
  await f('sex').locator(`input[value="${m.sex}"]`).check();
  await f('relationship').selectOption(m.relationship);
  await f('nationality').selectOption(m.nationality);
  if (m.nationality === 'other') await f('nationality-other').fill(m.nationalityOther);
  await f('language').selectOption(m.language);
  await f('phone').fill(m.phone);
  for (const code of m.needs) await f('needs').locator(`input[value="${code}"]`).check();
  for (const code of m.allergies) await f('allergies').locator(`input[value="${code}"]`).check();
  await f('allergy-other').fill(m.allergyOther);
  await f('care').selectOption(String(m.care));
  await f('evac').setChecked(m.evac);
  for (const bit of [1, 2, 4, 8]) {
    await f('consent')
      .locator(`input[value="${bit}"]`)
      .setChecked((m.consent & bit) !== 0);
  }
  await f('note').fill(m.note);
}

async function fillScenario(page, s) {
  for (const [k, v] of Object.entries(s.household)) await page.fill(`[data-h="${k}"]`, v);
  for (let i = 0; i < s.members.length; ++i) await fillMember(page, i, s.members[i]);
  for (let i = 0; i < s.pets.length; ++i) {
    await page.click('#add-pet');
    const root = page.locator('#pets > .pet').nth(i);
    await root.locator('[data-f="kind"]').fill(s.pets[i].kind);
    await root.locator('[data-f="count"]').fill(s.pets[i].count);
    await root.locator(`[data-f="mode"] input[value="${s.pets[i].together ? 1 : 0}"]`).check();
  }
}

// Alphanumeric capacity at level M, versions 1-40 (ISO/IEC 18004 table 7).
const ALNUM_M = [
  20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970,
  1035, 1134, 1248, 1326, 1451, 1542, 1637, 1732, 1839, 1994, 2113, 2238, 2369, 2506, 2632, 2780,
  2894, 3054, 3220, 3391,
];
const alnumVersion = (len) => ALNUM_M.findIndex((cap) => cap >= len) + 1;

// Makes the QR code; checks its symbol and writes the screenshot, the text and what was typed.
async function makeAndRecord(page, s, out, name, t0) {
  await page.click('#make');
  const svg = page.locator('#qr svg');
  await svg.waitFor({ timeout: 10000 });
  const text = await page.locator('#page-result').getAttribute('data-text');
  const version = Number(await svg.getAttribute('data-version'));
  check(
    /^JPR1:[0-9A-Z $%*+./:-]+$/.test(text) && text.length <= 1451,
    `${name}: the page made a JPR1 text of ${text.length} characters`,
  );
  check(
    version === alnumVersion(text.length),
    `${name}: the symbol is version ${version}, the smallest at level M in alphanumeric mode`,
  );
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  fs.writeFileSync(path.join(out, `${name}.text`), text);
  const exp = expected(s, s.lang);
  exp.created_range = [t0, Math.ceil(Date.now() / 1000)];
  fs.writeFileSync(path.join(out, `${name}.expected.json`), JSON.stringify(exp, null, 2));
  return text;
}

// ---------------------------------------------------------------------------------------------
// A static server for the page, and one standing for "anywhere else" that must never be reached.

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

function serve(root, log) {
  const server = http.createServer((req, res) => {
    log.push(req.url);
    let p = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function randomKanji(seed, n) {
  let s = seed;
  let out = '';
  for (let i = 0; i < n; ++i) {
    s = (s * 1103515245 + 12345) >>> 0;
    out += String.fromCodePoint(0x4e00 + ((s >>> 8) % 0x5000));
  }
  return out;
}

async function drive(site, out, npm) {
  site = path.resolve(site);
  fs.mkdirSync(out, { recursive: true });
  const require = createRequire(path.join(path.resolve(npm), 'node_modules', '/'));
  const { chromium } = require('playwright-core');
  const strings = {};
  for (const lang of ['ja', 'ja-easy', 'en']) {
    strings[lang] = (await import(pathToFileURL(path.join(site, 'i18n', `${lang}.js`)))).default;
  }

  // The library must write the whole text in alphanumeric mode: the budget of 1,451 characters
  // is exactly a version-25 symbol at level M only in that mode.
  const { makeSymbol } = await import(pathToFileURL(path.join(site, 'js', 'qr_view.js')));
  const v25 = makeSymbol(`JPR1:${'A%'.repeat(723)}`).version;
  const v26 = makeSymbol(`JPR1:${'A%'.repeat(723)}B`).version;
  check(
    v25 === 25 && v26 === 26,
    `1,451 characters make version ${v25}, 1,452 version ${v26} (level M, alphanumeric)`,
  );

  const pageLog = [];
  const outsideLog = [];
  const server = await serve(site, pageLog);
  const outside = await serve(site, outsideLog);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const outsideUrl = `http://127.0.0.1:${outside.address().port}/collect`;

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (e) {
    console.log(`FAIL chromium did not start: ${e.message.split('\n')[0]}`);
    process.exit(1);
  }
  const phone = {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    serviceWorkers: 'allow',
  };
  const requests = [];
  const pageErrors = [];
  const watch = (ctx) => {
    ctx.on('request', (r) => requests.push(r.url()));
    ctx.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  };

  // --- Japanese: validation, language switch, a 3-person household, offline, too much text.
  const ja = await browser.newContext({ ...phone, locale: 'ja-JP' });
  watch(ja);
  let page = await ja.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  check(
    (await page.evaluate(() => document.documentElement.lang)) === 'ja',
    'the page opens in Japanese',
  );
  const nameLabel = page.locator('label[for$="-name"]').first();
  check((await nameLabel.textContent()) === strings.ja['m.name'], 'the name label is Japanese');

  await page.click('#make');
  check(
    await page.locator('.error', { hasText: strings.ja['err.required'] }).isVisible(),
    'a member without name or kana is refused with a message',
  );
  const first = page.locator('#members > .member').first();
  await first.locator('[data-f="kana"]').fill('てすと');
  await first.locator('[data-f="year"]').fill('1950');
  await first.locator('[data-f="month"]').fill('2');
  await first.locator('[data-f="day"]').fill('30');
  await page.click('#make');
  check(
    await page.locator('.error', { hasText: strings.ja['err.date'] }).isVisible(),
    '30 February is refused as not a real date',
  );
  check(await page.locator('#page-result').isHidden(), 'no QR code while the form has errors');

  await page.click('[data-set-lang="ja-easy"]');
  check(
    (await nameLabel.textContent()) === strings['ja-easy']['m.name'] &&
      (await page.locator('h1').textContent()) === strings['ja-easy']['app.title'],
    'やさしい日本語 changes the visible labels',
  );
  await page.screenshot({ path: path.join(out, 'ja-easy-form.png') });
  await page.click('[data-set-lang="en"]');
  check(
    (await nameLabel.textContent()) === strings.en['m.name'] &&
      (await page.evaluate(() => document.documentElement.lang)) === 'en',
    'English changes the visible labels and the document language',
  );
  check(
    await page.locator('.error', { hasText: strings.en['err.date'] }).isVisible(),
    'error messages follow the language',
  );
  await page.click('[data-set-lang="ja"]');

  await page.reload();
  const t0 = Math.floor(Date.now() / 1000);
  await fillScenario(page, JA);
  await page
    .locator('#members > .member')
    .nth(1)
    .locator('[data-f="name"]')
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'ja-member.png') });
  await page.locator('#pets-box').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'ja-pets.png') });
  await makeAndRecord(page, JA, out, 'ja', t0);

  const attempt = await page.evaluate(
    (url) =>
      fetch(url, { method: 'POST', body: 'x' }).then(
        () => 'sent',
        () => 'blocked',
      ),
    outsideUrl,
  );
  check(attempt === 'blocked', 'the Content-Security-Policy blocks a request to another origin');

  await ja.setOffline(true);
  await page.reload();
  await page.locator('#members > .member [data-f="name"]').first().fill('オフライン 太郎');
  await page.click('#make');
  await page.locator('#qr svg').waitFor({ timeout: 10000 });
  check(
    await page.locator('#qr svg').isVisible(),
    'offline after the first load: the page reloads and makes a QR code',
  );
  await ja.setOffline(false);

  await page.reload();
  const m0 = page.locator('#members > .member').first();
  await m0.locator('[data-f="name"]').fill('長文 花子');
  await page.fill('[data-h="address"]', randomKanji(1, 130));
  await page.fill('[data-h="residence"]', randomKanji(2, 130));
  await page.fill('[data-h="note"]', randomKanji(3, 130));
  await m0.locator('[data-f="note"]').fill(randomKanji(4, 130));
  await page.click('#make');
  check(
    (await page.locator('#errors', { hasText: strings.ja['err.tooBig'] }).isVisible()) &&
      (await page.locator('#page-result').isHidden()),
    'too much text for one QR code gets a clear message instead of a code',
  );
  await page.fill('[data-h="note"]', randomKanji(5, 140));
  await page.click('#make');
  check(
    await page.locator('.error', { hasText: strings.ja['err.tooLong'] }).isVisible(),
    'a note over 400 bytes is marked too long',
  );
  await ja.close();

  // --- English, one person, kept on the phone and deleted again.
  const en = await browser.newContext({ ...phone, locale: 'en-US' });
  watch(en);
  page = await en.newPage();
  await page.goto(`${origin}/`);
  await page.click('[data-set-lang="en"]');
  const t1 = Math.floor(Date.now() / 1000);
  await fillScenario(page, EN);
  await page.check('#save');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, 'en-form.png') });
  await makeAndRecord(page, EN, out, 'en', t1);
  check(
    (await page.locator('#save-status').textContent()) === strings.en['save.done'],
    'the result says the data was saved on the phone',
  );
  await page.reload();
  check(
    (await page.locator('#notice', { hasText: strings.en['save.loaded'] }).isVisible()) &&
      (await page.locator('#members [data-f="name"]').first().inputValue()) === 'Maria Santos' &&
      (await page.locator('#members [data-f="nationality-other"]').first().inputValue()) ===
        'Bolivia',
    'the saved household comes back after a reload',
  );
  page.once('dialog', (d) => d.accept());
  await page.click('#delete');
  check(
    (await page.evaluate(() => localStorage.length)) === 0 &&
      (await page.locator('#members [data-f="name"]').first().inputValue()) === '' &&
      (await page.locator('#notice', { hasText: strings.en['save.deleted'] }).isVisible()),
    '"delete my data" empties the storage and the form',
  );
  await en.close();
  await browser.close();
  server.close();
  outside.close();

  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`));
  check(
    foreign.length === 0,
    `all ${requests.length} browser requests went to the page's own origin` +
      (foreign.length ? `; others: ${foreign.join(' ')}` : ''),
  );
  check(outsideLog.length === 0, 'the other origin received nothing');
  check(
    pageLog.every((u) => !u.includes('?')),
    'no query strings were sent to the page origin',
  );
  check(
    pageErrors.length === 0,
    `no script errors${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------

function compare(expFile, gotFile) {
  const exp = JSON.parse(fs.readFileSync(expFile, 'utf8'));
  const got = JSON.parse(fs.readFileSync(gotFile, 'utf8'));
  const name = path.basename(expFile, '.expected.json');
  const sorted = (v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
  const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  const field = (what, want, have) => {
    if (!same(want, have)) {
      console.log(
        `FAIL ${name}: ${what}: typed ${JSON.stringify(want)}, decoded ${JSON.stringify(have)}`,
      );
      failures += 1;
    }
  };
  let fields = 0;
  field('language', exp.language, got.language);
  const [lo, hi] = exp.created_range;
  field('created within the test', true, got.created >= lo && got.created <= hi);
  field('warnings', [], got.warnings);
  for (const k of ['address', 'residence', 'phone', 'vehicle', 'house_damage', 'note']) {
    field(k, exp.household[k], got.household[k] ?? '');
    fields += 1;
  }
  field('pet count', exp.household.pets.length, (got.household.pets || []).length);
  exp.household.pets.forEach((p, i) => {
    for (const k of Object.keys(p)) {
      field(`pet ${i + 1} ${k}`, p[k], got.household.pets?.[i]?.[k]);
      fields += 1;
    }
  });
  field('member count', exp.household.members.length, got.household.members.length);
  exp.household.members.forEach((m, i) => {
    for (const k of Object.keys(m)) {
      field(`member ${i + 1} ${k}`, m[k], got.household.members[i]?.[k]);
      fields += 1;
    }
  });
  check(
    failures === 0,
    `${name}: all ${fields} typed fields came back from the screenshot's QR code`,
  );
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'drive') await drive(...args);
else if (mode === 'compare') compare(...args);
else {
  console.error('usage: prereg_page_test.mjs drive SITE OUT NPM | compare EXPECTED DECODED');
  process.exit(2);
}
process.exit(failures ? 1 : 0);
