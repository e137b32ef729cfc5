import { CalendarDate } from '../../common/branded';

/** The exchange's time zone. */
export const NYSE_TIME_ZONE = 'America/New_York';

// One formatter, built once: constructing Intl formatters is the slow part.
const FORMATTER = new Intl.DateTimeFormat('en-US', {
  timeZone: NYSE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface NewYorkWallClock {
  /** The calendar date in New York. */
  date: CalendarDate;
  /** Minutes after local midnight (0..1439). */
  minutes: number;
}

/** Wall-clock date and time in New York for an instant (DST handled by Intl). */
export function newYorkWallClock(instant: Date | number): NewYorkWallClock {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('newYorkWallClock: invalid instant');
  const parts: Record<string, string> = {};
  for (const p of FORMATTER.formatToParts(ms)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}` as CalendarDate;
  return { date, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The New York calendar date of an instant (e.g. a Polygon bar's `t`). */
export function newYorkDate(instant: Date | number): CalendarDate {
  return newYorkWallClock(instant).date;
}
