// Dates as the page shows them: YYYYMMDD integers (the claims) and unix seconds (the lists),
// both in Japan time; Japanese gets the era (令和7年8月10日, as the paper certificate), English
// and やさしい日本語 the western year.

const ERAS = [
  [20190501, 2018, '令和'],
  [19890108, 1988, '平成'],
  [19261225, 1925, '昭和'],
  [19120730, 1911, '大正'],
  [18680101, 1867, '明治'],
];

export function dateIntFromUnix(unix) {
  const d = new Date((Number(unix) + 9 * 3600) * 1000);
  if (Number.isNaN(d.getTime())) return 0;
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export function formatDateInt(d, lang) {
  if (!d) return '';
  const y = Math.floor(d / 10000);
  const m = Math.floor(d / 100) % 100;
  const day = d % 100;
  if (lang === 'en') {
    return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  if (lang === 'ja') {
    for (const [start, year0, name] of ERAS) {
      if (d >= start) {
        const ey = y - year0;
        return `${name}${ey === 1 ? '元' : ey}年${m}月${day}日`;
      }
    }
  }
  return `${y}年${m}月${day}日`;
}

export const formatUnix = (unix, lang) => formatDateInt(dateIntFromUnix(unix), lang);
