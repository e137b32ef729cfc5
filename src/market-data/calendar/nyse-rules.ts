import { easterSunday } from './easter';

/**
 * NYSE holiday and early-close rules for one year (NYSE Rule 7.2 and the
 * exchange's published holiday / early-closing calendars).
 *
 * - Holidays falling on a Saturday are observed on the preceding Friday,
 *   except New Year's Day: a Saturday January 1 is not observed at all
 *   (e.g. 2022, 2028). Holidays falling on a Sunday are observed on Monday.
 * - Early closes (13:00 ET): July 3 when it is a Monday, Tuesday or Thursday
 *   (and a Wednesday from 2013; before 2013 a Friday July 5 closed early
 *   instead), the day after Thanksgiving, and December 24 when it is a Monday
 *   to Thursday.
 * - Unscheduled closures (September 11, Hurricane Sandy, national days of
 *   mourning) are listed explicitly.
 *
 * The rules are exact from 1995 on; earlier years use today's rules.
 */

export const MIN_SUPPORTED_YEAR = 1971;
export const MAX_SUPPORTED_YEAR = 2199;

/** Unscheduled full-day closures. */
export const SPECIAL_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ['1994-04-27', 'National Day of Mourning (President Richard Nixon)'],
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National Day of Mourning (President Ronald Reagan)'],
  ['2007-01-02', 'National Day of Mourning (President Gerald Ford)'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National Day of Mourning (President George H. W. Bush)'],
  ['2025-01-09', 'National Day of Mourning (President Jimmy Carter)'],
];

/** Unscheduled 13:00 closes not covered by the rules. */
const SPECIAL_EARLY_CLOSES: ReadonlyArray<readonly [string, string]> = [
  ['1997-12-26', 'Day after Christmas'],
  ['2003-12-26', 'Day after Christmas'],
];

export interface NyseYearRules {
  /** Full-day closures on weekdays: date → holiday name. */
  holidays: Map<string, string>;
  /** 13:00 closes: date → reason. */
  earlyCloses: Map<string, string>;
}

const SAT = 6;
const SUN = 0;

export function iso(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.toISOString().slice(0, 10);
}

export function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The n-th (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, dow: number, n: number): string {
  const first = weekday(year, month, 1);
  return iso(year, month, 1 + ((dow - first + 7) % 7) + 7 * (n - 1));
}

/** The last given weekday of a month. */
function lastWeekday(year: number, month: number, dow: number): string {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lastDow = weekday(year, month, lastDay);
  return iso(year, month, lastDay - ((lastDow - dow + 7) % 7));
}

/** Saturday → Friday, Sunday → Monday (`allowFriday` false: Saturday → none). */
function observe(
  into: Map<string, string>,
  name: string,
  [y, m, d]: [number, number, number],
  allowFriday = true,
): void {
  const dow = weekday(y, m, d);
  if (dow === SAT) {
    if (allowFriday) into.set(iso(y, m, d - 1), `${name} (observed)`);
  } else if (dow === SUN) {
    into.set(iso(y, m, d + 1), `${name} (observed)`);
  } else {
    into.set(iso(y, m, d), name);
  }
}

function regularHolidays(year: number): Map<string, string> {
  const h = new Map<string, string>();
  observe(h, "New Year's Day", [year, 1, 1], false);
  if (year >= 1998) h.set(nthWeekday(year, 1, 1, 3), 'Martin Luther King, Jr. Day');
  h.set(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  const easter = easterSunday(year);
  h.set(iso(year, easter.month, easter.day - 2), 'Good Friday');
  h.set(lastWeekday(year, 5, 1), 'Memorial Day');
  if (year >= 2022) observe(h, 'Juneteenth National Independence Day', [year, 6, 19]);
  observe(h, 'Independence Day', [year, 7, 4]);
  h.set(nthWeekday(year, 9, 1, 1), 'Labor Day');
  h.set(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day');
  observe(h, 'Christmas Day', [year, 12, 25]);
  return h;
}

function earlyCloseRules(year: number): Map<string, string> {
  const e = new Map<string, string>();
  const july3 = weekday(year, 7, 3);
  if (july3 === 1 || july3 === 2 || july3 === 4 || (july3 === 3 && year >= 2013)) {
    e.set(iso(year, 7, 3), 'Day before Independence Day');
  }
  if (year < 2013 && weekday(year, 7, 5) === 5) e.set(iso(year, 7, 5), 'Day after Independence Day');
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  e.set(iso(year, 11, Number(thanksgiving.slice(8)) + 1), 'Day after Thanksgiving');
  const dec24 = weekday(year, 12, 24);
  if (dec24 >= 1 && dec24 <= 4) e.set(iso(year, 12, 24), 'Christmas Eve');
  return e;
}

/** Holidays and early closes for one year (not memoised; see nyse-calendar). */
export function buildNyseYearRules(year: number): NyseYearRules {
  const holidays = regularHolidays(year);
  const prefix = `${year}-`;
  for (const [date, name] of SPECIAL_CLOSURES) if (date.startsWith(prefix)) holidays.set(date, name);
  const earlyCloses = earlyCloseRules(year);
  for (const [date, name] of SPECIAL_EARLY_CLOSES) if (date.startsWith(prefix)) earlyCloses.set(date, name);
  for (const date of holidays.keys()) earlyCloses.delete(date);
  return { holidays, earlyCloses };
}
