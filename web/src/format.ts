// Numbers and dates in the user's locale (Intl); one place so every page agrees.
const locale = undefined; // the browser's

const currencies = new Map<string, Intl.NumberFormat>();
export function money(x: number | null | undefined, currency = 'USD', digits = 0): string {
  if (x == null || !Number.isFinite(x)) return '—';
  const key = `${currency}:${digits}`;
  let f = currencies.get(key);
  if (!f) currencies.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(x);
}

const pctFormats = new Map<number, Intl.NumberFormat>();
/** A fraction (0.0123) as a percent (1.23 %). */
export function pct(x: number | null | undefined, digits = 2): string {
  if (x == null || !Number.isFinite(x)) return '—';
  let f = pctFormats.get(digits);
  if (!f) pctFormats.set(digits, (f = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(x);
}

/** A value already in percent units (1.23 → 1.23 %). */
export const pctPoints = (x: number | null | undefined, digits = 2) => (x == null ? '—' : pct(x / 100, digits));

const numberFormats = new Map<number, Intl.NumberFormat>();
export function num(x: number | null | undefined, digits = 2): string {
  if (x == null || !Number.isFinite(x)) return '—';
  let f = numberFormats.get(digits);
  if (!f) numberFormats.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
  return f.format(x);
}

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });

/** A calendar date (YYYY-MM-DD, no time zone) in the user's locale. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

/** An instant in the user's locale and time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

export const signClass = (x: number | null | undefined) => (x == null ? '' : x > 0 ? 'pos' : x < 0 ? 'neg' : '');

/** Today minus n days as YYYY-MM-DD (UTC). */
export function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}
