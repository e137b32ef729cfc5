import { lowerBound } from '../../common/sorted';
import { CalendarDate } from '../../common/branded';
import { newYorkWallClock } from './new-york-time';
import { buildNyseYearRules, MAX_SUPPORTED_YEAR, MIN_SUPPORTED_YEAR } from './nyse-rules';

/**
 * NYSE trading calendar: pure functions over ISO dates, memoised per year so
 * the batch can call them in tight loops (a lookup is a Map/Set hit, moving n
 * trading days is index arithmetic).
 */

/** Regular session: 09:30–16:00 ET; early closes at 13:00 ET. */
export const MARKET_OPEN_MINUTES = 9 * 60 + 30;
export const REGULAR_CLOSE_MINUTES = 16 * 60;
export const EARLY_CLOSE_MINUTES = 13 * 60;

interface YearCalendar {
  readonly holidays: ReadonlyMap<string, string>;
  readonly earlyCloses: ReadonlyMap<string, string>;
  /** Trading days of the year, ascending. */
  readonly tradingDays: readonly CalendarDate[];
  readonly tradingSet: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
const years = new Map<number, YearCalendar>();

function yearCalendar(year: number): YearCalendar {
  const cached = years.get(year);
  if (cached) return cached;
  if (!Number.isInteger(year) || year < MIN_SUPPORTED_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new RangeError(`NYSE calendar covers ${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR}, not ${year}`);
  }
  const { holidays, earlyCloses } = buildNyseYearRules(year);
  const tradingDays: CalendarDate[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  for (let ms = Date.UTC(year, 0, 1); ms < end; ms += DAY_MS) {
    const dow = new Date(ms).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const date = new Date(ms).toISOString().slice(0, 10);
    if (!holidays.has(date)) tradingDays.push(date as CalendarDate);
  }
  const calendar: YearCalendar = { holidays, earlyCloses, tradingDays, tradingSet: new Set(tradingDays) };
  years.set(year, calendar);
  return calendar;
}

function yearOf(date: string): number {
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-') {
    throw new TypeError(`Not an ISO calendar date: ${date}`);
  }
  return Number(date.slice(0, 4));
}

/** Index of the first element > date. */
function upperBound(days: readonly string[], date: string): number {
  const i = lowerBound(days, date);
  return i < days.length && days[i] === date ? i + 1 : i;
}

function assertCount(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: n must be a non-negative integer, got ${n}`);
}

export function isTradingDay(date: CalendarDate): boolean {
  return yearCalendar(yearOf(date)).tradingSet.has(date);
}

/** The holiday or closure name when the exchange is closed on a weekday, else null. */
export function holidayName(date: CalendarDate): string | null {
  return yearCalendar(yearOf(date)).holidays.get(date) ?? null;
}

/** True on scheduled 13:00 ET closes. */
export function isEarlyClose(date: CalendarDate): boolean {
  return yearCalendar(yearOf(date)).earlyCloses.has(date);
}

/** Closing time in minutes after midnight ET, or null when the market is closed all day. */
export function marketCloseMinutes(date: CalendarDate): number | null {
  if (!isTradingDay(date)) return null;
  return isEarlyClose(date) ? EARLY_CLOSE_MINUTES : REGULAR_CLOSE_MINUTES;
}

/** Why the market is closed on `date` ('Saturday', 'Sunday' or a holiday name), null on trading days. */
export function nonTradingReason(date: CalendarDate): string | null {
  if (isTradingDay(date)) return null;
  const name = holidayName(date);
  if (name) return name;
  return new Date(`${date}T00:00:00Z`).getUTCDay() === 6 ? 'Saturday' : 'Sunday';
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(date: CalendarDate): CalendarDate {
  return tradingDaysBack(date, 1);
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: CalendarDate): CalendarDate {
  return tradingDaysForward(date, 1);
}

/**
 * The trading day `n` trading days before `date` (n = 1 is the previous
 * trading day; `date` itself need not be a trading day). n = 0 returns `date`.
 */
export function tradingDaysBack(date: CalendarDate, n: number): CalendarDate {
  assertCount(n, 'tradingDaysBack');
  if (n === 0) return date;
  let year = yearOf(date);
  let index = lowerBound(yearCalendar(year).tradingDays, date) - n;
  while (index < 0) {
    year -= 1;
    index += yearCalendar(year).tradingDays.length;
  }
  return yearCalendar(year).tradingDays[index];
}

/** The trading day `n` trading days after `date`. n = 0 returns `date`. */
export function tradingDaysForward(date: CalendarDate, n: number): CalendarDate {
  assertCount(n, 'tradingDaysForward');
  if (n === 0) return date;
  let year = yearOf(date);
  let index = upperBound(yearCalendar(year).tradingDays, date) + n - 1;
  while (index >= yearCalendar(year).tradingDays.length) {
    index -= yearCalendar(year).tradingDays.length;
    year += 1;
  }
  return yearCalendar(year).tradingDays[index];
}

/** Trading days in [from, to], inclusive and ascending; empty when from > to. */
export function tradingDaysBetween(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  if (from > to) return [];
  const out: CalendarDate[] = [];
  const last = yearOf(to);
  for (let year = yearOf(from); year <= last; year++) {
    const days = yearCalendar(year).tradingDays;
    const start = lowerBound(days, from);
    const end = upperBound(days, to);
    for (let i = start; i < end; i++) out.push(days[i]);
  }
  return out;
}

/** The trading days either side of `date` (strictly before and after), for error messages. */
export function nearestTradingDays(date: CalendarDate): { previous: CalendarDate; next: CalendarDate } {
  return { previous: previousTradingDay(date), next: nextTradingDay(date) };
}

/**
 * The most recent trading day whose session has closed, plus a settle margin
 * for final prices: today (New York time) once now ≥ close + settleMinutes,
 * otherwise the previous trading day.
 */
export function latestCompletedTradingDay(now: Date = new Date(), settleMinutes = 30): CalendarDate {
  if (!Number.isFinite(settleMinutes) || settleMinutes < 0) {
    throw new RangeError(`settleMinutes must be ≥ 0, got ${settleMinutes}`);
  }
  const { date, minutes } = newYorkWallClock(now);
  const close = marketCloseMinutes(date);
  if (close !== null && minutes >= close + settleMinutes) return date;
  return previousTradingDay(date);
}

/** Full-day closures falling on weekdays in `year`, ascending. */
export function holidaysInYear(year: number): Array<{ date: CalendarDate; name: string }> {
  return [...yearCalendar(year).holidays]
    .map(([date, name]) => ({ date: date as CalendarDate, name }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Scheduled 13:00 ET closes in `year`, ascending. */
export function earlyClosesInYear(year: number): Array<{ date: CalendarDate; reason: string }> {
  return [...yearCalendar(year).earlyCloses]
    .map(([date, reason]) => ({ date: date as CalendarDate, reason }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}
