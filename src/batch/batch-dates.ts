import type { CalendarDate } from '../common/branded';
import { badRequest } from '../common/errors';
import { latestCompletedTradingDay, MIN_SUPPORTED_YEAR, nearestTradingDays, nonTradingReason, tradingDaysBetween } from '../market-data/calendar';

export const MAX_BACKFILL_DAYS = 260;
/** The first day the NYSE calendar covers with a year of look-back before it. */
const EARLIEST_DATE = `${MIN_SUPPORTED_YEAR + 1}-01-01`;

/** Why `date` cannot be calculated, naming the nearest usable trading day; null when it can. */
export function dateProblem(field: string, date: CalendarDate, latest: CalendarDate): string | null {
  if (date > latest) {
    return `${field} ${date} is in the future or its close is not final yet; the latest completed trading day is ${latest}`;
  }
  const reason = nonTradingReason(date);
  if (reason) {
    const { previous, next } = nearestTradingDays(date);
    const nextUsable = next <= latest ? ` or ${next}` : '';
    return `${field} ${date} is not a trading day (${reason}); nearest trading day: ${previous}${nextUsable}`;
  }
  return null;
}

/**
 * The trading days a run covers: one calculation date, a backfill range, or
 * (neither given) the latest completed trading day at `now`.
 */
export function resolveRunDates(
  input: { calculationDate?: CalendarDate; startDate?: CalendarDate; endDate?: CalendarDate },
  now: Date,
): { dates: CalendarDate[]; startDate: CalendarDate | null; endDate: CalendarDate | null } {
  const latest = latestCompletedTradingDay(now);
  const { calculationDate, startDate, endDate } = input;
  for (const [field, value] of [['calculation_date', calculationDate], ['start_date', startDate], ['end_date', endDate]] as const) {
    if (value && value < EARLIEST_DATE) throw badRequest(`${field} ${value} is before ${EARLIEST_DATE}, the start of the trading calendar`);
  }
  if (calculationDate && (startDate || endDate)) throw badRequest('Give either calculation_date or start_date/end_date, not both');
  if ((startDate && !endDate) || (!startDate && endDate)) throw badRequest('start_date and end_date go together');
  if (startDate && endDate) {
    if (startDate > endDate) throw badRequest(`start_date ${startDate} is after end_date ${endDate}`);
    if (endDate > latest) throw badRequest(`end_date ${endDate} is in the future or not final yet; the latest completed trading day is ${latest}`);
    const dates = tradingDaysBetween(startDate, endDate);
    if (!dates.length) throw badRequest(`no trading day between ${startDate} and ${endDate}`);
    if (dates.length > MAX_BACKFILL_DAYS) throw badRequest(`backfill covers ${dates.length} trading days; at most ${MAX_BACKFILL_DAYS} per run`);
    return { dates, startDate, endDate };
  }
  const date = calculationDate ?? latest;
  const problem = dateProblem('calculation_date', date, latest);
  if (problem) throw badRequest(problem);
  return { dates: [date], startDate: null, endDate: null };
}
