import type { CalendarDate } from '../common/branded';
import { addDays } from '../common/dates';
import type { ActionCoverage } from './corporate-action.store';

/** What to fetch for one symbol: ex-date ranges, and the coverage once they are fetched. */
export interface ActionFetchPlan {
  ranges: Array<{ from: CalendarDate; to: CalendarDate }>;
  covered: ActionCoverage;
}

const minDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a < b ? a : b);
const maxDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a > b ? a : b);

/**
 * The ranges of [from, to] not yet covered, on either side of the stored
 * coverage; the gap between a disjoint request and the coverage is fetched
 * too, so coverage stays one contiguous range. `force` refetches the whole union.
 */
export function planActionFetch(symbol: string, stored: ActionCoverage | undefined, from: CalendarDate, to: CalendarDate, force = false): ActionFetchPlan {
  if (!stored) return { ranges: [{ from, to }], covered: { symbol, from, to } };
  const covered = { symbol, from: minDate(from, stored.from), to: maxDate(to, stored.to) };
  if (force) return { ranges: [{ from: covered.from, to: covered.to }], covered };
  const ranges: ActionFetchPlan['ranges'] = [];
  if (from < stored.from) ranges.push({ from, to: addDays(stored.from, -1) });
  if (to > stored.to) ranges.push({ from: addDays(stored.to, 1), to });
  return { ranges, covered };
}
