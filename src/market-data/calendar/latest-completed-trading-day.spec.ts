import { latestCompletedTradingDay } from './nyse-calendar';
import { newYorkDate, newYorkWallClock } from './new-york-time';

const at = (iso: string): Date => new Date(iso);

describe('latestCompletedTradingDay (America/New_York, 30 min settle by default)', () => {
  it('switches to today at 16:30 ET on a regular day (EST, UTC−5)', () => {
    expect(latestCompletedTradingDay(at('2024-03-08T21:29:59Z'))).toBe('2024-03-07');
    expect(latestCompletedTradingDay(at('2024-03-08T21:30:00Z'))).toBe('2024-03-08');
  });

  it('uses the EDT offset right after the spring DST change', () => {
    // 2024-03-10 is the change; Monday 2024-03-11 closes 16:00 EDT = 20:00Z.
    expect(latestCompletedTradingDay(at('2024-03-10T18:00:00Z'))).toBe('2024-03-08');
    expect(latestCompletedTradingDay(at('2024-03-11T20:29:00Z'))).toBe('2024-03-08');
    expect(latestCompletedTradingDay(at('2024-03-11T20:30:00Z'))).toBe('2024-03-11');
  });

  it('uses the EST offset right after the autumn DST change', () => {
    // 2024-11-03 is the change; Monday 2024-11-04 closes 16:00 EST = 21:00Z.
    expect(latestCompletedTradingDay(at('2024-11-04T20:45:00Z'))).toBe('2024-11-01');
    expect(latestCompletedTradingDay(at('2024-11-04T21:30:00Z'))).toBe('2024-11-04');
  });

  it('keeps the New York date when UTC has already rolled over', () => {
    // 22:00 EST on Friday is 03:00Z on Saturday.
    expect(latestCompletedTradingDay(at('2024-03-09T03:00:00Z'))).toBe('2024-03-08');
    // 23:30 EDT on Monday is 03:30Z on Tuesday.
    expect(latestCompletedTradingDay(at('2024-03-12T03:30:00Z'))).toBe('2024-03-11');
  });

  it('returns the previous trading day before the close and on weekends', () => {
    expect(latestCompletedTradingDay(at('2024-03-11T13:00:00Z'))).toBe('2024-03-08');
    expect(latestCompletedTradingDay(at('2024-03-09T17:00:00Z'))).toBe('2024-03-08');
    expect(latestCompletedTradingDay(at('2024-03-10T23:00:00Z'))).toBe('2024-03-08');
  });

  it('uses the 13:00 close on early-close days', () => {
    // 2024-07-03 closes 13:00 EDT = 17:00Z; settled at 17:30Z.
    expect(latestCompletedTradingDay(at('2024-07-03T17:29:00Z'))).toBe('2024-07-02');
    expect(latestCompletedTradingDay(at('2024-07-03T17:30:00Z'))).toBe('2024-07-03');
    // 2024-12-24 closes 13:00 EST = 18:00Z.
    expect(latestCompletedTradingDay(at('2024-12-24T18:29:00Z'))).toBe('2024-12-23');
    expect(latestCompletedTradingDay(at('2024-12-24T18:30:00Z'))).toBe('2024-12-24');
  });

  it('skips holidays', () => {
    expect(latestCompletedTradingDay(at('2024-12-25T23:00:00Z'))).toBe('2024-12-24');
    expect(latestCompletedTradingDay(at('2024-07-04T22:00:00Z'))).toBe('2024-07-03');
    expect(latestCompletedTradingDay(at('2024-01-01T22:00:00Z'))).toBe('2023-12-29');
    expect(latestCompletedTradingDay(at('2025-01-09T23:00:00Z'))).toBe('2025-01-08');
    expect(latestCompletedTradingDay(at('2022-01-01T12:00:00Z'))).toBe('2021-12-31');
  });

  it('honours a custom settle margin', () => {
    expect(latestCompletedTradingDay(at('2024-03-08T21:00:00Z'), 0)).toBe('2024-03-08');
    expect(latestCompletedTradingDay(at('2024-03-08T21:59:00Z'), 60)).toBe('2024-03-07');
    expect(latestCompletedTradingDay(at('2024-03-08T22:00:00Z'), 60)).toBe('2024-03-08');
    expect(() => latestCompletedTradingDay(at('2024-03-08T22:00:00Z'), -1)).toThrow(RangeError);
  });
});

describe('New York wall clock', () => {
  it('converts instants to New York dates and minutes', () => {
    expect(newYorkWallClock(at('2024-07-03T17:30:00Z'))).toEqual({ date: '2024-07-03', minutes: 13 * 60 + 30 });
    expect(newYorkWallClock(at('2024-01-02T04:59:00Z'))).toEqual({ date: '2024-01-01', minutes: 23 * 60 + 59 });
    // Polygon daily bars are stamped at midnight New York time.
    expect(newYorkDate(Date.parse('2024-07-03T04:00:00Z'))).toBe('2024-07-03');
    expect(newYorkDate(Date.parse('2024-01-02T05:00:00Z'))).toBe('2024-01-02');
    expect(() => newYorkWallClock(new Date(Number.NaN))).toThrow(RangeError);
  });
});
