/**
 * Standard period shortcuts → the first calendar day of the range, given the
 * book's inception (first snapshot) and latest snapshot date (ISO dates). The
 * range then ends at the latest snapshot and is measured from the last close
 * before its first day, so MTD is measured from the previous month's last
 * close and 1Y from the close a year before the latest one.
 */
export const PERIOD_SHORTCUTS = ['MTD', 'QTD', 'YTD', '1Y', '3Y', 'ITD'] as const;
export type PeriodShortcut = (typeof PERIOD_SHORTCUTS)[number];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
}

/** `date` minus `years` years plus one day (29 Feb falls back to 28 Feb first). */
function dayAfterYearsBack(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) - years;
  const m = Number(date.slice(5, 7));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const d = Math.min(Number(date.slice(8, 10)), lastDay);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}

/** First day of the period ending on `latest`, never before `inception`. */
export function periodStart(period: PeriodShortcut, inception: string, latest: string): string {
  const y = Number(latest.slice(0, 4));
  const m = Number(latest.slice(5, 7));
  let from: string;
  switch (period) {
    case 'MTD':
      from = iso(y, m, 1);
      break;
    case 'QTD':
      from = iso(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
      break;
    case 'YTD':
      from = iso(y, 1, 1);
      break;
    case '1Y':
      from = dayAfterYearsBack(latest, 1);
      break;
    case '3Y':
      from = dayAfterYearsBack(latest, 3);
      break;
    case 'ITD':
      from = inception;
      break;
  }
  return from < inception ? inception : from;
}
