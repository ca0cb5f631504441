// Drives the pre-registration page in headless Chromium (playwright-core), for
// prereg_page_test.sh:
//   node prereg_page_test.mjs drive SITE_DIR OUT_DIR NPM_DIR SHELTERCTL
//     fills the form (Japanese, 3 people, every detail; English, one person; a household of four
//     as most families fill it), makes the QR codes and writes OUT_DIR/<name>.png (what is
//     decoded), .text (what the page encoded) and .expected.json (what was typed); checks the
//     layout at 320/390/768 px and 100/150/200 % text, the height of a person's entry, dates as
//     people write them, the six languages, consent that starts unticked, keeping the code (PNG,
//     printed A6 card, on the phone only when asked, offline), simulated camera frames, offline
//     use, the too-much-text message and that nothing is sent anywhere.
//   node prereg_page_test.mjs compare EXPECTED.json DECODED.json
//     compares `shelterctl prereg show --json` output with what was typed, field by field.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cameraFrames } from './prereg_camera.mjs';
import { STEPS, heights, layoutProblems, rootFontSize, setTextScale } from './prereg_layout.mjs';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

// ---------------------------------------------------------------------------------------------
// What the resident types. dob is what goes into the one date field, dobIso what it means.

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
      dob: '昭和25年4月1日',
      dobIso: '1950-04-01',
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
      dob: '１９８８/12/31',
      dobIso: '1988-12-31',
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
      dob: 'R3.2.28',
      dobIso: '2021-02-28',
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
  householdLanguage: 'es',
  pets: [],
  members: [
    {
      name: 'Maria Santos',
      kana: 'マリア サントス',
      dob: '14/07/1975',
      dobIso: '1975-07-14',
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

// A household of four as most families fill it in: names, dates, sex, who is who, one need.
const person = (name, kana, dob, dobIso, sex, relationship, consent, extra = {}) => ({
  name,
  kana,
  dob,
  dobIso,
  sex,
  relationship,
  nationality: '',
  language: '',
  phone: '',
  needs: [],
  allergies: [],
  allergyOther: '',
  care: 0,
  evac: false,
  consent,
  note: '',
  ...extra,
});
const FAMILY4 = {
  lang: 'ja',
  household: {
    address: '神奈川県横浜市中区日本大通1-1',
    residence: '',
    phone: '045-123-4567',
    vehicle: '',
    damage: '',
    note: '',
  },
  pets: [],
  members: [
    person('佐藤 健一', 'さとう けんいち', 'S45.3.3', '1970-03-03', 1, 'head', 1),
    person('佐藤 由美', 'さとう ゆみ', '昭和47年10月10日', '1972-10-10', 2, 'spouse', 1),
    person('佐藤 翔', 'さとう しょう', 'H20.6.1', '2008-06-01', 1, 'child', 0), // nothing ticked
    person('佐藤 トメ', 'さとう とめ', 'S10.1.20', '1935-01-20', 2, 'parent', 3, {
      needs: ['ELD'],
      allergies: ['egg'],
    }),
  ],
};

const SEX = ['unanswered', 'male', 'female', 'other'];
// The page lists ticked boxes in the order it shows them (core/model/entities.cpp's code order).
const NEED_ORDER =
  'ELD NUR DIS-P DIS-V DIS-H DIS-I DIS-M INF PRG FOR CHR MED MED-POWER ALG ILL DIET'.split(' ');
const ALLERGEN_ORDER = 'egg milk wheat buckwheat peanut shrimp crab walnut'.split(' ');
const inOrder = (list, order) => [...list].sort((a, b) => order.indexOf(a) - order.indexOf(b));

// The household JSON that `shelterctl prereg show --json` must print for a scenario.
function expected(s) {
  return {
    language: s.householdLanguage || s.lang,
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
        dob: m.dobIso,
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
// Filling the form: each folded part is opened by answering its question "yes" only when
// something in it is to be typed.

const answer = (root, q, yes) =>
  root.locator(`[data-q="${q}"] input[value="${yes ? 1 : 0}"]`).check();

async function fillMember(page, index, m) {
  if (index > 0) await page.click('#add-member');
  const root = page.locator('#members > .member').nth(index);
  const f = (name) => root.locator(`[data-f="${name}"]`);
  await f('name').fill(m.name);
  await f('kana').fill(m.kana);
  await f('dob').fill(m.dob);
  await f('sex').locator(`input[value="${m.sex}"]`).check();
  const needs = m.needs.length || m.allergies.length || m.allergyOther || m.care || m.evac;
  await answer(root, 'needs', needs);
  if (needs) {
    for (const code of m.needs) await f('needs').locator(`input[value="${code}"]`).check();
    for (const code of m.allergies) await f('allergies').locator(`input[value="${code}"]`).check();
    await f('allergy-other').fill(m.allergyOther);
    await f('care').locator(`input[value="${m.care}"]`).check();
    await f('evac').setChecked(m.evac);
  }
  const details =
    m.nationality || m.language || m.phone || m.note || m.relationship !== (index ? '' : 'head');
  await answer(root, 'details', details);
  if (details) {
    await f('relationship').locator(`input[value="${m.relationship}"]`).check();
    await f('nationality').locator(`input[value="${m.nationality}"]`).check();
    if (m.nationality === 'other') await f('nationality-other').fill(m.nationalityOther);
    await f('language').locator(`input[value="${m.language}"]`).check();
    await f('phone').fill(m.phone);
    await f('note').fill(m.note);
  }
  for (const bit of [1, 2, 4, 8]) {
    if (m.consent & bit) await f('consent').locator(`input[value="${bit}"]`).check();
  }
}

async function fillScenario(page, s) {
  const h = s.household;
  await page.fill('[data-h="address"]', h.address);
  await page.fill('[data-h="phone"]', h.phone);
  const more = h.residence || h.vehicle || h.damage || h.note || s.householdLanguage;
  await answer(page.locator('#household-box'), 'household', more);
  if (more) {
    for (const k of ['residence', 'vehicle', 'damage', 'note'])
      await page.fill(`[data-h="${k}"]`, h[k]);
    if (s.householdLanguage)
      await page.locator(`#hh-language input[value="${s.householdLanguage}"]`).check();
  }
  for (let i = 0; i < s.members.length; ++i) await fillMember(page, i, s.members[i]);
  for (let i = 0; i < s.pets.length; ++i) {
    await page.click('#add-pet');
    const root = page.locator('#pets > .pet').nth(i);
    await root.locator('[data-f="kind"]').fill(s.pets[i].kind);
    await root.locator('[data-f="count"]').fill(s.pets[i].count);
    await root.locator(`[data-f="mode"] input[value="${s.pets[i].together ? 1 : 0}"]`).check();
  }
}

// Makes the QR code; checks its symbol and writes the screenshot, the text and what was typed.
async function makeAndRecord(page, s, out, name, t0) {
  await page.click('#make');
  const svg = page.locator('#qr svg');
  await svg.waitFor({ timeout: 10000 });
  const text = await page.locator('#page-result').getAttribute('data-text');
  const version = Number(await svg.getAttribute('data-version'));
  const level = await svg.getAttribute('data-level');
  check(
    /^JPR1:[0-9A-Z $%*+./:-]+$/.test(text) && text.length <= 1451,
    `${name}: the page made a JPR1 text of ${text.length} characters, version ${version}-${level}`,
  );
  const box = await svg.boundingBox();
  const vp = page.viewportSize();
  check(
    box.y >= 0 && box.y + box.height <= vp.height && box.width >= vp.width * 0.9,
    `${name}: the code is on the first screen, ${Math.round(box.width)} of ${vp.width} px wide`,
  );
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  fs.writeFileSync(path.join(out, `${name}.text`), text);
  const exp = expected(s);
  exp.created_range = [t0, Math.ceil(Date.now() / 1000)];
  fs.writeFileSync(path.join(out, `${name}.expected.json`), JSON.stringify(exp, null, 2));
  return { text, version, level };
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

// Reads every code in the files with `shelterctl qr decode --fast` (as the app's camera reads).
function decodeFast(shelterctl, files) {
  return files.map((f) => {
    const r = spawnSync(shelterctl, ['qr', 'decode', '--fast', f], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : '';
  });
}

const textOf = (page, sel) => page.locator(sel).first().textContent();

async function drive(site, out, npm, shelterctl) {
  site = path.resolve(site);
  fs.mkdirSync(out, { recursive: true });
  const require = createRequire(path.join(path.resolve(npm), 'node_modules', '/'));
  const { chromium } = require('playwright-core');
  const { ORDER, STRINGS } = await import(pathToFileURL(path.join(site, 'i18n', 'strings.js')));
  const S = STRINGS;

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
    return ctx;
  };

  // --- Large text: every step at 320/390/768 px and 100/150/200 % text, in Japanese, English
  // and Vietnamese; the other three languages at the hardest, 320 px and 200 %.
  const shots = [
    [320, 2],
    [390, 1],
  ];
  let layoutRuns = 0;
  const layoutBad = [];
  const combos = [];
  for (const lang of ['ja', 'en', 'vi'])
    for (const width of [320, 390, 768])
      for (const scale of [1, 1.5, 2]) combos.push([lang, width, scale]);
  for (const lang of ['ja-easy', 'zh-Hans', 'ko']) combos.push([lang, 320, 2]);
  for (const [lang, width, scale] of combos) {
    const ctx = watch(
      await browser.newContext({
        viewport: { width, height: 844 },
        deviceScaleFactor: 1,
        isMobile: width < 700,
        hasTouch: true,
      }),
    );
    const page = await ctx.newPage();
    await page.goto(`${origin}/`);
    await setTextScale(page, scale);
    const px = await rootFontSize(page);
    if (Math.abs(px - 18 * scale) > 0.5)
      layoutBad.push(`${lang} ${width}px: text is ${px} px, not ${18 * scale}`);
    await page.click(`[data-set-lang="${lang}"]`);
    for (const [step, run] of Object.entries(STEPS)) {
      await run(page);
      layoutRuns += 1;
      const where = `${lang} ${width}px ${scale * 100}% ${step}`;
      const size = await rootFontSize(page);
      if (Math.abs(size - 18 * scale) > 0.5) layoutBad.push(`${where}: text is ${size} px`);
      for (const p of await layoutProblems(page)) layoutBad.push(`${where}: ${p}`);
      if (step === 'result') {
        const qr = await page.locator('#qr svg').boundingBox();
        if (qr.y < 0 || qr.y + qr.height > 844)
          layoutBad.push(
            `${where}: the code is at ${Math.round(qr.y)}..${Math.round(qr.y + qr.height)} px, not on the first screen`,
          );
      }
      if (shots.some(([w, s]) => w === width && s === scale) && ['ja', 'en', 'vi'].includes(lang)) {
        // A full-page screenshot of a mobile page resets chromium's font sizes: the same size
        // is held by the root element for the picture, then the browser setting is restored.
        await page.evaluate((px) => {
          document.documentElement.style.fontSize = `${px}px`;
        }, 18 * scale);
        await page.screenshot({
          path: path.join(out, `layout-${lang}-${width}-${scale * 100}-${step}.png`),
          fullPage: true,
        });
        await page.evaluate(() => document.documentElement.style.removeProperty('font-size'));
        await setTextScale(page, scale);
      }
    }
    await ctx.close();
  }
  check(
    layoutBad.length === 0,
    `${layoutRuns} steps in 6 languages at 320-768 px and 100-200 % text: no sideways scroll, ` +
      `nothing cut${layoutBad.length ? `:\n     ${layoutBad.slice(0, 30).join('\n     ')}` : ''}`,
  );

  // --- Short, and consent chosen: a person's entry as it opens, at 390×844 and 100 % text.
  const ja = watch(await browser.newContext({ ...phone, locale: 'ja-JP' }));
  let page = await ja.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  check(
    (await page.evaluate(() => document.documentElement.lang)) === 'ja',
    'the page opens in Japanese',
  );
  await page.click('#add-member');
  const sizes = await heights(page);
  await page.click('#members > .member:nth-child(2) [data-action="remove-member"]');
  const one = await heights(page);
  fs.writeFileSync(path.join(out, 'heights.json'), JSON.stringify({ one, two: sizes }, null, 2));
  check(
    sizes.members.every((h) => h <= 2 * 844),
    `a person's entry is ${sizes.members.join(' and ')} CSS px, at most 2 phone screens ` +
      `(page: ${one.page} px for one person, ${sizes.page} px for two)`,
  );
  const unticked = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-f="consent"] input')];
    const questions = [...document.querySelectorAll('.question input')];
    const folds = [...document.querySelectorAll('[data-fold]')];
    return {
      consent: boxes.length,
      ticked: boxes.filter((b) => b.checked).length,
      explained: boxes.every(
        (b) => b.closest('label').querySelector('small.hint').textContent.length > 5,
      ),
      answered: questions.filter((q) => q.checked).length,
      questions: questions.length,
      open: folds.filter((f) => !f.hidden).length,
    };
  });
  check(
    unticked.consent === 4 && unticked.ticked === 0 && unticked.explained,
    'every 安否 consent box starts unticked, each with a sentence saying what it allows',
  );
  check(
    (await textOf(page, '[data-f="consent"]')).length > 0 &&
      (await textOf(page, '.consent .hint')) === S.ja['m.consent.hint'],
    'the consent question says in plain words that nothing ticked means nobody is told',
  );
  check(
    unticked.questions === 6 && unticked.answered === 0 && unticked.open === 0,
    'needs and details are folded behind yes/no questions that start unanswered',
  );
  await page.click('#make');
  const consentOnly = await page.evaluate(() => localStorage.length);
  check(consentOnly === 0, 'nothing is kept on the phone before the resident asks');

  // --- Validation and dates as people say them, shown back for confirmation.
  check(
    await page.locator('.error', { hasText: S.ja['err.required'] }).isVisible(),
    'a member without name or kana is refused with a message',
  );
  const first = page.locator('#members > .member').first();
  const dob = first.locator('[data-f="dob"]');
  const shown = first.locator('[data-f="dob-shown"]');
  await dob.fill('昭和15年8月15日');
  check(
    (await shown.textContent()) === '確認: 1940年（昭和15年）8月15日',
    `昭和15年8月15日 is shown back as 「${await shown.textContent()}」`,
  );
  await dob.fill('S15.8.15');
  check(
    (await shown.textContent()) === '確認: 1940年（昭和15年）8月15日',
    'S15.8.15 is the same date',
  );
  await dob.fill('1940');
  check(
    (await shown.textContent()) === `1940年（昭和15年） — ${S.ja['err.dateDay']}`,
    `1940 alone: the era is inferred and month and day are asked for (「${await shown.textContent()}」)`,
  );
  await dob.fill('S15');
  check((await shown.textContent()).startsWith('1940年（昭和15年）'), 'S15 alone is 1940 too');
  await first.locator('[data-f="kana"]').fill('てすと');
  await dob.fill('1950/2/30');
  await page.click('#make');
  check(
    await page.locator('.error', { hasText: S.ja['err.date'] }).isVisible(),
    '30 February is refused as not a real date',
  );
  check(await page.locator('#page-result').isHidden(), 'no QR code while the form has errors');
  await page.click('[data-set-lang="ja-easy"]');
  const nameLabel = page.locator('label[for$="-name"]').first();
  check(
    (await nameLabel.textContent()) === S['ja-easy']['m.name'] &&
      (await page.locator('h1').textContent()) === S['ja-easy']['app.title'],
    'やさしい日本語 changes the visible labels',
  );
  await page.click('[data-set-lang="vi"]');
  check(
    await page.locator('.error', { hasText: S.vi['err.date'] }).isVisible(),
    "the hint for a date not understood follows the resident's language (Vietnamese)",
  );
  await dob.fill('15/08/1940');
  check(
    (await shown.textContent()) === 'Kiểm tra: ngày 15 tháng 8 năm 1940 (Showa 15)',
    `15/08/1940 in Vietnamese is shown back as "${await shown.textContent()}"`,
  );
  await page.click('[data-set-lang="en"]');
  check(
    (await shown.textContent()) === 'Check: 15 August 1940 (Shōwa 15)',
    `in English: "${await shown.textContent()}"`,
  );
  await page.click('[data-set-lang="ko"]');
  await dob.fill('1940년 8월 15일');
  check(
    (await shown.textContent()) === '확인: 1940년(쇼와 15년) 8월 15일',
    `in Korean: "${await shown.textContent()}"`,
  );

  // --- Six languages: every text on the page is the language's own, none falls back.
  const langBad = [];
  for (const lang of ORDER) {
    await page.click(`[data-set-lang="${lang}"]`);
    const bad = await page.evaluate(async (lang) => {
      const { STRINGS } = await import('./i18n/strings.js');
      const out = [];
      for (const el of document.querySelectorAll('[data-i18n]')) {
        if (!el.dataset.i18n) continue; // an empty status line
        const want = STRINGS[lang][el.dataset.i18n]?.replaceAll('{n}', el.dataset.i18nN ?? '{n}');
        if (!want || el.textContent !== want) out.push(el.dataset.i18n);
      }
      const pressed = document.querySelector('[aria-pressed="true"]')?.dataset.setLang;
      if (pressed !== lang) out.push(`button ${pressed}`);
      return out;
    }, lang);
    if (bad.length) langBad.push(`${lang}: ${bad.join(' ')}`);
    await page.screenshot({ path: path.join(out, `lang-${lang}.png`) });
  }
  check(
    langBad.length === 0,
    `each of the ${ORDER.length} languages shows its own text for every label` +
      (langBad.length ? `: ${langBad.join('; ')}` : ''),
  );
  check(
    (await page.evaluate(() => document.documentElement.lang)) === 'vi',
    'the document language follows (vi)',
  );
  await page.click('[data-set-lang="ja"]');

  // --- A 3-person household with every detail, read back field by field by the .sh.
  await page.reload();
  const t0 = Math.floor(Date.now() / 1000);
  await fillScenario(page, JA);
  await page
    .locator('#members > .member')
    .nth(1)
    .locator('[data-f="name"]')
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'ja-member.png') });
  const jaCode = await makeAndRecord(page, JA, out, 'ja', t0);

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
  await answer(page.locator('#household-box'), 'household', true);
  await page.fill('[data-h="residence"]', randomKanji(2, 130));
  await page.fill('[data-h="note"]', randomKanji(3, 130));
  await answer(m0, 'details', true);
  await m0.locator('[data-f="note"]').fill(randomKanji(4, 130));
  await page.click('#make');
  // The page answers after its encoder has run (asynchronously): wait for the message, then check.
  const tooBig = page.locator('#errors', { hasText: S.ja['err.tooBig'] });
  await tooBig.waitFor({ timeout: 10000 }).catch(() => {});
  check(
    (await tooBig.isVisible()) &&
      (await page.locator('#page-result').isHidden()),
    'too much text for one QR code gets a clear message instead of a code',
  );
  await page.fill('[data-h="note"]', randomKanji(5, 140));
  await page.click('#make');
  const tooLong = page.locator('.error', { hasText: S.ja['err.tooLong'] });
  await tooLong.waitFor({ timeout: 10000 }).catch(() => {});
  check(
    await tooLong.isVisible(),
    'a note over 400 bytes is marked too long',
  );
  await ja.close();

  // --- A household of four: the code a tablet camera reads at arm's length, a PNG, a printed
  // card, and the code kept on the phone (only the code, only when asked) reopened offline.
  const fam = watch(await browser.newContext({ ...phone, locale: 'ja-JP' }));
  page = await fam.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const t2 = Math.floor(Date.now() / 1000);
  await fillScenario(page, FAMILY4);
  const famCode = await makeAndRecord(page, FAMILY4, out, 'family4', t2);
  const frameHeights = [300, 360, 450, 600];
  const frames = await cameraFrames(
    browser,
    path.join(out, 'family4.png'),
    path.join(out, 'camera-family4'),
    frameHeights,
  );
  const read = decodeFast(shelterctl, frames);
  check(
    read.every((t) => t === famCode.text),
    `household of four (version ${famCode.version}-${famCode.level}, ${famCode.text.length} characters): ` +
      `read in one camera pass from 720p frames with the phone ${frameHeights.join('/')} px tall` +
      (read.some((t) => t !== famCode.text)
        ? `; not read at ${frameHeights.filter((h, i) => read[i] !== famCode.text).join('/')} px`
        : ''),
  );
  // For comparison only: the 3-person code with every detail in the same frames.
  const jaFrames = await cameraFrames(
    browser,
    path.join(out, 'ja.png'),
    path.join(out, 'camera-ja'),
    frameHeights,
  );
  const jaRead = decodeFast(shelterctl, jaFrames);
  console.log(
    `info the 3-person code with every detail (version ${jaCode.version}-${jaCode.level}) is read ` +
      `at ${frameHeights.filter((h, i) => jaRead[i] === jaCode.text).join('/') || 'no'} px`,
  );

  await page.waitForFunction(() => document.getElementById('save-png').href.startsWith('blob:'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-png')]);
  await download.saveAs(path.join(out, 'family4-download.png'));
  fs.copyFileSync(path.join(out, 'family4.text'), path.join(out, 'family4-download.text'));
  fs.copyFileSync(
    path.join(out, 'family4.expected.json'),
    path.join(out, 'family4-download.expected.json'),
  );
  check(
    download.suggestedFilename().endsWith('.png'),
    `"save as a picture" downloads ${download.suggestedFilename()}`,
  );

  await page.emulateMedia({ media: 'print' });
  const card = await page.evaluate(() => ({
    names: [...document.querySelectorAll('#card-names li')].map((l) => l.textContent),
    visible: [...document.body.children]
      .filter((e) => getComputedStyle(e).display !== 'none')
      .map((e) => e.id),
    text: document.getElementById('print-card').innerText,
  }));
  check(
    JSON.stringify(card.names) === JSON.stringify(FAMILY4.members.map((m) => m.name)) &&
      JSON.stringify(card.visible) === '["print-card"]' &&
      card.text.includes(S.ja['card.instruction']),
    'printing shows only the card: the names, the code and what to do with it',
  );
  await page.pdf({
    path: path.join(out, 'family4-card.pdf'),
    preferCSSPageSize: true,
    printBackground: true,
  });
  const pdf = fs.readFileSync(path.join(out, 'family4-card.pdf'), 'latin1');
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  const mediaBox = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
  check(
    pages === 1 &&
      mediaBox &&
      Math.abs(Number(mediaBox[1]) - 297.6) < 2 &&
      Math.abs(Number(mediaBox[2]) - 419.5) < 2,
    `the card prints on one A6 page (${pages} page, ${mediaBox?.[1]}×${mediaBox?.[2]} pt)`,
  );
  await page.setViewportSize({ width: 397, height: 559 }); // A6 at 96 dpi
  await page.screenshot({ path: path.join(out, 'family4-card.png') });
  for (const ext of ['text', 'expected.json'])
    fs.copyFileSync(path.join(out, `family4.${ext}`), path.join(out, `family4-card.${ext}`));
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(phone.viewport);

  check(
    (await page.evaluate(() => localStorage.length)) === 0,
    'making a code keeps nothing on the phone',
  );
  await page.click('#keep');
  const kept = await page.evaluate(() => Object.entries(localStorage));
  check(
    kept.length === 1 &&
      kept[0][1] === famCode.text &&
      (await page.locator('#keep-status').textContent()) === S.ja['keep.done'],
    '"keep it on this phone" stores the code\'s text and nothing else',
  );
  await fam.setOffline(true);
  await page.reload();
  await page.locator('#qr svg').waitFor({ timeout: 10000 });
  const reopened = await page.evaluate(() => ({
    text: document.getElementById('page-result').dataset.text,
    loaded: !document.getElementById('keep-loaded').hidden,
    form: document.getElementById('page-form').hidden,
    names: [...document.querySelectorAll('#card-names li')].map((l) => l.textContent),
  }));
  await page.screenshot({ path: path.join(out, 'family4-kept.png') });
  for (const ext of ['text', 'expected.json'])
    fs.copyFileSync(path.join(out, `family4.${ext}`), path.join(out, `family4-kept.${ext}`));
  check(
    reopened.text === famCode.text &&
      reopened.loaded &&
      reopened.form &&
      JSON.stringify(reopened.names) === JSON.stringify(FAMILY4.members.map((m) => m.name)),
    'offline, the next visit opens on the kept code, with the names for the card',
  );
  page.once('dialog', (d) => d.accept());
  await page.click('#forget');
  check(
    (await page.evaluate(() => localStorage.length)) === 0 &&
      (await page.locator('#keep-status').textContent()) === S.ja['keep.deleted'],
    '"delete the kept code" empties the storage',
  );
  await page.reload();
  check(
    await page.locator('#page-result').isHidden(),
    'after deleting, the page opens on the form',
  );
  await fam.setOffline(false);
  await fam.close();

  // --- axe-core: no accessibility violations on the form with every part open, or on the code.
  const axePath = path.join(path.resolve(npm), 'node_modules', 'axe-core', 'axe.min.js');
  // The page's policy allows only its own scripts; this one context lets the audit script in.
  const audit = watch(await browser.newContext({ ...phone, locale: 'ja-JP', bypassCSP: true }));
  page = await audit.newPage();
  await page.goto(`${origin}/`);
  const axeViolations = async (where) => {
    await page.addScriptTag({ path: axePath });
    const v = await page.evaluate(async () =>
      (await window.axe.run(document)).violations.map(
        (x) => `${x.id} (${x.nodes.length}: ${x.nodes[0]?.target.join(' ')})`,
      ),
    );
    return v.map((x) => `${where}: ${x}`);
  };
  await STEPS.open(page);
  const found = await axeViolations('form');
  await STEPS.errors(page);
  found.push(...(await axeViolations('errors')));
  await STEPS.result(page);
  found.push(...(await axeViolations('code')));
  check(
    found.length === 0,
    `axe-core finds no violations${found.length ? `: ${found.join('; ')}` : ''}`,
  );
  await audit.close();

  // --- English, one person, the household's language chosen.
  const en = watch(await browser.newContext({ ...phone, locale: 'en-US' }));
  page = await en.newPage();
  await page.goto(`${origin}/`);
  check(
    (await page.evaluate(() => document.documentElement.lang)) === 'en',
    'an English phone opens the page in English',
  );
  const t1 = Math.floor(Date.now() / 1000);
  await fillScenario(page, EN);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, 'en-form.png') });
  await makeAndRecord(page, EN, out, 'en', t1);
  await en.close();
  await browser.close();
  server.close();
  outside.close();

  const foreign = requests.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'),
  );
  check(
    foreign.length === 0,
    `all ${requests.length} browser requests went to the page's own origin` +
      (foreign.length ? `; others: ${foreign.slice(0, 5).join(' ')}` : ''),
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
