// Birth dates as people write them: Western year or a Japanese era year (令和, 平成, 昭和, 大正),
// digits full- or half-width, 元 for year one. The result is always YYYY-MM-DD.

import { isRealDate } from './jpr1.js';

// First and last day of each era.
export const ERAS = [
  { id: 'reiwa', from: '2019-05-01', to: '9999-12-31' },
  { id: 'heisei', from: '1989-01-08', to: '2019-04-30' },
  { id: 'showa', from: '1926-12-25', to: '1989-01-07' },
  { id: 'taisho', from: '1912-07-30', to: '1926-12-24' },
];

// Full-width digits to ASCII; 元 (first year of an era) to 1.
export function asciiDigits(s) {
  return String(s ?? '')
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/^元$/, '1');
}

const pad = (n, w) => String(n).padStart(w, '0');

function today() {
  const d = new Date();
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
}

// {dob: "" | "YYYY-MM-DD"} or {error: "date" | "era" | "future"}.
export function parseDob(era, year, month, day) {
  const [y, m, d] = [year, month, day].map(asciiDigits);
  if (!y && !m && !d) return { dob: '' };
  if (!/^\d{1,4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d))
    return { error: 'date' };
  const e = ERAS.find((x) => x.id === era);
  const western = e ? Number(e.from.slice(0, 4)) + Number(y) - 1 : Number(y);
  if (western < 1900) return { error: 'date' };
  const dob = `${pad(western, 4)}-${pad(Number(m), 2)}-${pad(Number(d), 2)}`;
  if (!isRealDate(dob)) return { error: 'date' };
  if (e && (Number(y) < 1 || dob < e.from || dob > e.to)) return { error: 'era' };
  if (dob > today()) return { error: 'future' };
  return { dob };
}

// The era and its year for a YYYY-MM-DD date: {id, year}, or null before 大正.
export function eraOf(dob) {
  const e = ERAS.find((x) => dob >= x.from && dob <= x.to);
  return e ? { id: e.id, year: Number(dob.slice(0, 4)) - Number(e.from.slice(0, 4)) + 1 } : null;
}
