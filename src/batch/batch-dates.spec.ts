import { asCalendarDate, CalendarDate } from '../common/branded';
import { DomainError } from '../common/errors';
import { MAX_BACKFILL_DAYS, resolveRunDates } from './batch-dates';

const d = (s: string): CalendarDate => asCalendarDate(s);
/** 2025-06-24 (Tuesday) 18:00 New York (EDT = UTC−4): that day's close is final. */
const TUE_EVENING = new Date('2025-06-24T22:00:00Z');
/** 2025-06-24 12:00 New York: the session is still open, the latest completed day is Monday 06-23. */
const TUE_NOON = new Date('2025-06-24T16:00:00Z');

function problem(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw new Error(`expected a DomainError, got ${String(e)}`);
  }
  throw new Error('expected an error, got none');
}

describe('resolveRunDates', () => {
  describe('no date given', () => {
    it('is the latest completed trading day: today once the close has settled', () => {
      expect(resolveRunDates({}, TUE_EVENING)).toEqual({ dates: ['2025-06-24'], startDate: null, endDate: null });
    });

    it('is the previous trading day while the session is open or not settled', () => {
      expect(resolveRunDates({}, TUE_NOON).dates).toEqual(['2025-06-23']);
      // 16:15 New York: closed, but within the 30-minute settle margin
      expect(resolveRunDates({}, new Date('2025-06-24T20:15:00Z')).dates).toEqual(['2025-06-23']);
      expect(resolveRunDates({}, new Date('2025-06-24T20:30:00Z')).dates).toEqual(['2025-06-24']);
    });

    it('skips weekends and holidays back to the last session', () => {
      // Saturday 2025-06-21 → Friday 06-20; Monday morning 06-23 → Friday 06-20
      expect(resolveRunDates({}, new Date('2025-06-21T15:00:00Z')).dates).toEqual(['2025-06-20']);
      expect(resolveRunDates({}, new Date('2025-06-23T13:00:00Z')).dates).toEqual(['2025-06-20']);
      // Juneteenth (Thursday 2025-06-19) evening → Wednesday 06-18
      expect(resolveRunDates({}, new Date('2025-06-19T23:00:00Z')).dates).toEqual(['2025-06-18']);
    });

    it('honours early closes (13:00 the day after Thanksgiving)', () => {
      // Friday 2025-11-28, 14:00 New York (EST = UTC−5): the early close has settled
      expect(resolveRunDates({}, new Date('2025-11-28T19:00:00Z')).dates).toEqual(['2025-11-28']);
      expect(resolveRunDates({}, new Date('2025-11-28T18:00:00Z')).dates).toEqual(['2025-11-26']);
    });
  });

  describe('calculation_date', () => {
    it('accepts a past trading day and the latest completed one', () => {
      expect(resolveRunDates({ calculationDate: d('2025-06-02') }, TUE_EVENING)).toEqual({ dates: ['2025-06-02'], startDate: null, endDate: null });
      expect(resolveRunDates({ calculationDate: d('2025-06-24') }, TUE_EVENING).dates).toEqual(['2025-06-24']);
    });

    it('rejects a Saturday or Sunday, naming the trading days either side', () => {
      const sat = problem(() => resolveRunDates({ calculationDate: d('2025-06-14') }, TUE_EVENING));
      expect(sat.kind).toBe('bad_request');
      expect(sat.message).toMatch(/2025-06-14 is not a trading day \(Saturday\)/);
      expect(sat.message).toMatch(/nearest trading day: 2025-06-13 or 2025-06-16/);
      const sun = problem(() => resolveRunDates({ calculationDate: d('2025-06-15') }, TUE_EVENING));
      expect(sun.message).toMatch(/Sunday.*2025-06-13 or 2025-06-16/);
    });

    it('rejects an exchange holiday, naming it and the nearest trading days', () => {
      const e = problem(() => resolveRunDates({ calculationDate: d('2025-06-19') }, TUE_EVENING));
      expect(e.kind).toBe('bad_request');
      expect(e.message).toMatch(/2025-06-19 is not a trading day \(.*Juneteenth.*\)/);
      expect(e.message).toMatch(/nearest trading day: 2025-06-18 or 2025-06-20/);
      expect(problem(() => resolveRunDates({ calculationDate: d('2025-12-25') }, new Date('2026-01-05T23:00:00Z'))).message).toMatch(
        /Christmas.*2025-12-24 or 2025-12-26/,
      );
    });

    it('rejects a future date and today before the close has settled', () => {
      const future = problem(() => resolveRunDates({ calculationDate: d('2025-06-25') }, TUE_EVENING));
      expect(future.kind).toBe('bad_request');
      expect(future.message).toMatch(/2025-06-25 is in the future.*latest completed trading day is 2025-06-24/);
      const today = problem(() => resolveRunDates({ calculationDate: d('2025-06-24') }, TUE_NOON));
      expect(today.message).toMatch(/latest completed trading day is 2025-06-23/);
    });

    it('rejects a date the trading calendar does not cover as bad input (not a crash)', () => {
      const e = problem(() => resolveRunDates({ calculationDate: d('1960-01-04') }, TUE_EVENING));
      expect(e.kind).toBe('bad_request');
      expect(problem(() => resolveRunDates({ startDate: d('1960-01-04'), endDate: d('1960-01-08') }, TUE_EVENING)).kind).toBe('bad_request');
    });
  });

  describe('backfill range', () => {
    it('returns only the trading days, ascending, keeping the given bounds', () => {
      // 2025-06-16..06-23: Juneteenth (Thu 19th) and the weekend (21st, 22nd) are skipped
      expect(resolveRunDates({ startDate: d('2025-06-16'), endDate: d('2025-06-23') }, TUE_EVENING)).toEqual({
        dates: ['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-20', '2025-06-23'],
        startDate: '2025-06-16',
        endDate: '2025-06-23',
      });
    });

    it('accepts bounds that are not trading days themselves', () => {
      expect(resolveRunDates({ startDate: d('2025-06-14'), endDate: d('2025-06-19') }, TUE_EVENING).dates).toEqual([
        '2025-06-16',
        '2025-06-17',
        '2025-06-18',
      ]);
    });

    it('a one-day range is that day', () => {
      expect(resolveRunDates({ startDate: d('2025-06-24'), endDate: d('2025-06-24') }, TUE_EVENING).dates).toEqual(['2025-06-24']);
    });

    it('rejects a range without a trading day', () => {
      expect(problem(() => resolveRunDates({ startDate: d('2025-06-21'), endDate: d('2025-06-22') }, TUE_EVENING)).message).toMatch(/no trading day/);
    });

    it('rejects start after end, and an end in the future', () => {
      expect(problem(() => resolveRunDates({ startDate: d('2025-06-20'), endDate: d('2025-06-16') }, TUE_EVENING)).message).toMatch(
        /start_date 2025-06-20 is after end_date 2025-06-16/,
      );
      expect(problem(() => resolveRunDates({ startDate: d('2025-06-16'), endDate: d('2025-06-25') }, TUE_EVENING)).message).toMatch(
        /end_date 2025-06-25 is in the future/,
      );
    });

    it(`caps a run at ${MAX_BACKFILL_DAYS} trading days`, () => {
      expect(resolveRunDates({ startDate: d('2024-06-24'), endDate: d('2025-06-24') }, TUE_EVENING).dates.length).toBeLessThanOrEqual(MAX_BACKFILL_DAYS);
      const e = problem(() => resolveRunDates({ startDate: d('2023-01-03'), endDate: d('2025-06-24') }, TUE_EVENING));
      expect(e.kind).toBe('bad_request');
      expect(e.message).toMatch(new RegExp(`at most ${MAX_BACKFILL_DAYS}`));
    });

    it('needs both bounds and not a calculation_date as well', () => {
      expect(problem(() => resolveRunDates({ startDate: d('2025-06-16') }, TUE_EVENING)).message).toMatch(/start_date and end_date go together/);
      expect(problem(() => resolveRunDates({ endDate: d('2025-06-16') }, TUE_EVENING)).message).toMatch(/go together/);
      const both = problem(() => resolveRunDates({ calculationDate: d('2025-06-16'), startDate: d('2025-06-16'), endDate: d('2025-06-17') }, TUE_EVENING));
      expect(both.kind).toBe('bad_request');
      expect(both.message).toMatch(/either calculation_date or start_date\/end_date/);
      expect(problem(() => resolveRunDates({ calculationDate: d('2025-06-16'), endDate: d('2025-06-17') }, TUE_EVENING)).kind).toBe('bad_request');
    });
  });
});
