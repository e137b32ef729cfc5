import { CalendarDate, asCalendarDate } from './branded';

/** Calendar arithmetic on ISO dates, always in UTC so no zone shifts a day. */
export function toUtcDate(date: CalendarDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function fromUtcDate(d: Date): CalendarDate {
  return asCalendarDate(d.toISOString().slice(0, 10));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = toUtcDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtcDate(d);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((toUtcDate(b).getTime() - toUtcDate(a).getTime()) / 86_400_000);
}

/** Today's date in the given IANA time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return asCalendarDate(parts);
}
