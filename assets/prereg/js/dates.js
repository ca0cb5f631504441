// Birth dates as people say them, in one field: 昭和15年8月15日, S15.8.15, 1940/8/15, 1940年8月15日,
// 19400815, 15/08/1940, ２０２４-１-５, 令和元年… The era is inferred from the year and shown back
// for confirmation; a year alone is understood but needs month and day for the code, which
// carries only YYYY-MM-DD (core/FORMATS.md "JPR1"). Pure functions, no DOM: tested in node.

import { isRealDate } from './jpr1.js';

// Each era's first and last day; a Western year inside one is shown with its era year.
export const ERAS = [
  { id: 'reiwa', letter: 'R', kanji: '令和', from: '2019-05-01', to: '9999-12-31' },
  { id: 'heisei', letter: 'H', kanji: '平成', from: '1989-01-08', to: '2019-04-30' },
  { id: 'showa', letter: 'S', kanji: '昭和', from: '1926-12-25', to: '1989-01-07' },
  { id: 'taisho', letter: 'T', kanji: '大正', from: '1912-07-30', to: '1926-12-24' },
  { id: 'meiji', letter: 'M', kanji: '明治', from: '1868-01-25', to: '1912-07-29' },
];
export const OLDEST_YEAR = 1900;
export const MAX_INPUT = 40; // characters; anything longer is not a date

const pad = (n, w) => String(n).padStart(w, '0');

// Full-width digits to ASCII (a Japanese keyboard's digits).
export function asciiDigits(s) {
  return String(s ?? '')
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30));
}

export function todayIso(now = new Date()) {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

// The era of a date (or of a year's last day when only the year is known): {id, year} or null.
export function eraOf(iso) {
  const e = ERAS.find((x) => iso >= x.from && iso <= x.to);
  return e ? { id: e.id, year: Number(iso.slice(0, 4)) - Number(e.from.slice(0, 4)) + 1 } : null;
}

const ERA_WORD = ERAS.map((e) => e.kanji).join('|');
const SEP = '[./\\-]';
// era year [年 or separator month [月 or separator day [日]]]
const ERA_RE = new RegExp(
  `^(${ERA_WORD}|[MTSHR])\\.?(\\d{1,2}|元)(?:(?:年|${SEP})(\\d{1,2})(?:(?:月|${SEP})(\\d{1,2})日?|月)?|年)?$`,
);
const WESTERN_RE = new RegExp(
  `^(\\d{4})(?:(?:年|${SEP})(\\d{1,2})(?:(?:月|${SEP})(\\d{1,2})日?|月)?|年)?$`,
);
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_FIRST_RE = new RegExp(`^(\\d{1,2})${SEP}(\\d{1,2})${SEP}(\\d{4})$`);

// Same characters for the same meaning: NFKC (full-width → ASCII, ㍼ → 昭和), Korean 년/월/일 as
// 年/月/日, no spaces or a trailing 生/生まれ, upper-case era letters.
function normalize(text) {
  return String(text)
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/년/g, '年')
    .replace(/월/g, '月')
    .replace(/일/g, '日')
    .replace(/[、,]/g, '.')
    .replace(/(生まれ|生)$/, '')
    .toUpperCase();
}

// Checks a Western y-m-d (m, d optional): the result object of parseDate.
function finish(y, m, d, today, era) {
  if (y < OLDEST_YEAR) return { error: 'old' };
  if (m === undefined) {
    const iso = `${pad(y, 4)}-12-31` < today ? `${pad(y, 4)}-12-31` : today;
    if (String(y) > today.slice(0, 4)) return { error: 'future' };
    return { year: y, era: era || eraOf(iso), partial: true };
  }
  if (m < 1 || m > 12) return { error: 'date' };
  if (d === undefined) {
    if (`${pad(y, 4)}-${pad(m, 2)}` > today.slice(0, 7)) return { error: 'future' };
    return { year: y, month: m, era: era || eraOf(`${pad(y, 4)}-${pad(m, 2)}-01`), partial: true };
  }
  const dob = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (!isRealDate(dob)) return { error: 'date' };
  if (dob > today) return { error: 'future' };
  return { dob, year: y, month: m, day: d, era: eraOf(dob) };
}

// One field's text → one of
//   {empty: true}
//   {dob: 'YYYY-MM-DD', year, month, day, era: {id, year} | null}
//   {year, [month], era, partial: true}  (understood, but month or day is missing)
//   {error: 'date' | 'era' | 'future' | 'old' | 'dayFirst'}
// today is 'YYYY-MM-DD' (the phone's date); never throws.
export function parseDate(text, today = todayIso()) {
  const raw = String(text ?? '');
  if (!raw.trim()) return { empty: true };
  if (raw.length > MAX_INPUT) return { error: 'date' };
  const s = normalize(raw);
  const num = (x) => (x === undefined ? undefined : Number(x));

  let m = ERA_RE.exec(s);
  if (m) {
    const era = ERAS.find((e) => e.kanji === m[1] || e.letter === m[1]);
    const eraYear = m[2] === '元' ? 1 : Number(m[2]);
    const from = Number(era.from.slice(0, 4));
    const last = era.to === '9999-12-31' ? Number(today.slice(0, 4)) : Number(era.to.slice(0, 4));
    if (eraYear < 1 || from + eraYear - 1 > last) return { error: 'era' };
    const r = finish(from + eraYear - 1, num(m[3]), num(m[4]), today, {
      id: era.id,
      year: eraYear,
    });
    // 平成31年5月1日 is 令和元年: a full date outside its era is refused, not moved.
    if (r.dob && (r.dob < era.from || r.dob > era.to)) return { error: 'era' };
    if (r.month && !r.dob) {
      const first = `${pad(r.year, 4)}-${pad(r.month, 2)}`;
      if (first > era.to.slice(0, 7) || first < era.from.slice(0, 7)) return { error: 'era' };
    }
    return r;
  }
  m = WESTERN_RE.exec(s) || COMPACT_RE.exec(s);
  if (m) return finish(Number(m[1]), num(m[2]), num(m[3]), today, null);
  m = DAY_FIRST_RE.exec(s);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // 15/08/1940 can only be day/month; 08/05/1940 could be either: ask for the year first.
    if (a > 12 && b <= 12) return finish(y, b, a, today, null);
    if (b > 12 && a <= 12) return finish(y, a, b, today, null);
    if (a === b) return finish(y, a, b, today, null);
    return { error: 'dayFirst' };
  }
  return { error: 'date' };
}
