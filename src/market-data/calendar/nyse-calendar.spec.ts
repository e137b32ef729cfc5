import { asCalendarDate, CalendarDate } from '../../common/branded';
import { addDays } from '../../common/dates';
import { easterSunday } from './easter';
import {
  earlyClosesInYear,
  holidayName,
  holidaysInYear,
  isEarlyClose,
  isTradingDay,
  marketCloseMinutes,
  nearestTradingDays,
  nextTradingDay,
  nonTradingReason,
  previousTradingDay,
  tradingDaysBack,
  tradingDaysBetween,
  tradingDaysForward,
} from './nyse-calendar';

const d = asCalendarDate;

/**
 * Expected full-day closures and 13:00 early closes, year by year.
 * Source: NYSE's published holiday and early-closing schedules (NYSE Group
 * holiday calendar announcements for 2020–2028, NYSE Rule 7.2). 2029 and 2030
 * are not yet published; they are written out from the same rules by hand.
 */
const NYSE_SCHEDULE: Record<number, { holidays: string[]; earlyCloses: string[]; tradingDays?: number }> = {
  2020: {
    holidays: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
    earlyCloses: ['11-27', '12-24'],
    tradingDays: 253,
  },
  2021: {
    holidays: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
    earlyCloses: ['11-26'],
    tradingDays: 252,
  },
  2022: {
    // New Year's Day 2022 fell on a Saturday: not observed (2021-12-31 traded).
    holidays: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'],
    earlyCloses: ['11-25'],
    tradingDays: 251,
  },
  2023: {
    holidays: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    earlyCloses: ['07-03', '11-24'],
    tradingDays: 250,
  },
  2024: {
    holidays: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    earlyCloses: ['07-03', '11-29', '12-24'],
    tradingDays: 252,
  },
  2025: {
    // 01-09: National Day of Mourning for President Carter.
    holidays: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
    earlyCloses: ['07-03', '11-28', '12-24'],
    tradingDays: 250,
  },
  2026: {
    holidays: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
    earlyCloses: ['11-27', '12-24'],
  },
  2027: {
    holidays: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
    earlyCloses: ['11-26'],
  },
  2028: {
    holidays: ['01-17', '02-21', '04-14', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    earlyCloses: ['07-03', '11-24'],
  },
  2029: {
    holidays: ['01-01', '01-15', '02-19', '03-30', '05-28', '06-19', '07-04', '09-03', '11-22', '12-25'],
    earlyCloses: ['07-03', '11-23', '12-24'],
  },
  2030: {
    holidays: ['01-01', '01-21', '02-18', '04-19', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    earlyCloses: ['07-03', '11-29', '12-24'],
  },
};

describe('NYSE holiday schedule 2020–2030', () => {
  for (const [yearText, expected] of Object.entries(NYSE_SCHEDULE)) {
    const year = Number(yearText);
    it(`${year}: holidays and early closes match the published schedule`, () => {
      expect(holidaysInYear(year).map((h) => h.date)).toEqual(expected.holidays.map((md) => `${year}-${md}`));
      expect(earlyClosesInYear(year).map((h) => h.date)).toEqual(expected.earlyCloses.map((md) => `${year}-${md}`));
      for (const md of expected.holidays) expect(isTradingDay(d(`${year}-${md}`))).toBe(false);
      for (const md of expected.earlyCloses) {
        expect(isTradingDay(d(`${year}-${md}`))).toBe(true);
        expect(marketCloseMinutes(d(`${year}-${md}`))).toBe(13 * 60);
      }
      if (expected.tradingDays !== undefined) {
        expect(tradingDaysBetween(d(`${year}-01-01`), d(`${year}-12-31`))).toHaveLength(expected.tradingDays);
      }
    });
  }
});

describe('NYSE rules and named cases', () => {
  it('does not observe a Saturday New Year on the preceding Friday', () => {
    expect(isTradingDay(d('2021-12-31'))).toBe(true);
    expect(isTradingDay(d('2027-12-31'))).toBe(true);
    expect(isTradingDay(d('2010-12-31'))).toBe(true);
    expect(holidayName(d('2023-01-02'))).toBe("New Year's Day (observed)");
  });

  it('observes Juneteenth from 2022 with Saturday → Friday and Sunday → Monday', () => {
    expect(isTradingDay(d('2021-06-18'))).toBe(true);
    expect(holidayName(d('2022-06-20'))).toBe('Juneteenth National Independence Day (observed)');
    expect(holidayName(d('2027-06-18'))).toBe('Juneteenth National Independence Day (observed)');
    expect(holidayName(d('2024-06-19'))).toBe('Juneteenth National Independence Day');
  });

  it('computes Good Friday from the Gregorian Easter', () => {
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
    expect(easterSunday(2019)).toEqual({ month: 4, day: 21 });
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 });
    expect(easterSunday(2008)).toEqual({ month: 3, day: 23 });
    for (const date of ['2019-04-19', '2024-03-29', '2008-03-21', '2038-04-23']) {
      expect(holidayName(d(date))).toBe('Good Friday');
    }
  });

  it('includes the unscheduled closures', () => {
    for (const date of ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02',
      '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09']) {
      expect(isTradingDay(d(date))).toBe(false);
      expect(holidayName(d(date))).not.toBeNull();
    }
    expect(isTradingDay(d('2001-09-10'))).toBe(true);
    expect(isTradingDay(d('2001-09-17'))).toBe(true);
  });

  it('applies the historical Independence Day early-close variants', () => {
    expect(isEarlyClose(d('2002-07-05'))).toBe(true); // July 4 on Thursday before 2013
    expect(isEarlyClose(d('2002-07-03'))).toBe(false);
    expect(isEarlyClose(d('2013-07-03'))).toBe(true);
    expect(isEarlyClose(d('2019-07-03'))).toBe(true);
    expect(isEarlyClose(d('2019-07-05'))).toBe(false);
    expect(isEarlyClose(d('2020-07-02'))).toBe(false); // July 4 on Saturday: Friday off, no early close
    expect(isEarlyClose(d('2021-07-02'))).toBe(false);
  });

  it('reports why a day is closed', () => {
    expect(nonTradingReason(d('2024-07-06'))).toBe('Saturday');
    expect(nonTradingReason(d('2024-07-07'))).toBe('Sunday');
    expect(nonTradingReason(d('2024-11-28'))).toBe('Thanksgiving Day');
    expect(nonTradingReason(d('2024-11-29'))).toBeNull();
    expect(holidayName(d('2024-07-06'))).toBeNull();
    expect(marketCloseMinutes(d('2024-07-06'))).toBeNull();
    expect(marketCloseMinutes(d('2024-07-08'))).toBe(16 * 60);
  });
});

describe('moving between trading days', () => {
  it('steps over weekends, holidays and year ends', () => {
    expect(previousTradingDay(d('2022-01-03'))).toBe('2021-12-31');
    expect(nextTradingDay(d('2021-12-31'))).toBe('2022-01-03');
    expect(nextTradingDay(d('2024-12-24'))).toBe('2024-12-26');
    expect(previousTradingDay(d('2024-07-05'))).toBe('2024-07-03');
    expect(previousTradingDay(d('2024-07-06'))).toBe('2024-07-05');
    expect(nextTradingDay(d('2012-10-26'))).toBe('2012-10-31');
    expect(nearestTradingDays(d('2025-01-09'))).toEqual({ previous: '2025-01-08', next: '2025-01-10' });
    expect(nearestTradingDays(d('2024-03-27'))).toEqual({ previous: '2024-03-26', next: '2024-03-28' });
  });

  it('counts n trading days back and forward', () => {
    expect(tradingDaysBack(d('2024-07-05'), 0)).toBe('2024-07-05');
    expect(tradingDaysBack(d('2024-07-05'), 2)).toBe('2024-07-02');
    expect(tradingDaysBack(d('2024-07-06'), 1)).toBe('2024-07-05');
    expect(tradingDaysForward(d('2024-07-03'), 1)).toBe('2024-07-05');
    expect(tradingDaysBack(d('2025-01-02'), 252)).toBe(tradingDaysBetween(d('2023-12-01'), d('2025-01-01')).slice(-252)[0]);
    expect(() => tradingDaysBack(d('2024-07-05'), -1)).toThrow(RangeError);
    expect(() => tradingDaysBack(d('2024-07-05'), 1.5)).toThrow(RangeError);
  });

  it('agrees with a day-by-day walk (randomised over 2000–2030)', () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const start = addDays(d('2000-06-01'), Math.floor(rand() * 10_800));
      const n = Math.floor(rand() * 600);
      let walked: CalendarDate = start;
      for (let k = 0; k < n; k++) {
        do walked = addDays(walked, -1); while (!isTradingDay(walked));
      }
      expect(tradingDaysBack(start, n)).toBe(walked);
      expect(tradingDaysForward(walked, n)).toBe(nextAfter(walked, n));
    }
  });

  it('lists trading days inclusively and in order', () => {
    expect(tradingDaysBetween(d('2024-12-20'), d('2025-01-03'))).toEqual([
      '2024-12-20', '2024-12-23', '2024-12-24', '2024-12-26', '2024-12-27',
      '2024-12-30', '2024-12-31', '2025-01-02', '2025-01-03',
    ]);
    expect(tradingDaysBetween(d('2024-12-21'), d('2024-12-22'))).toEqual([]);
    expect(tradingDaysBetween(d('2025-01-03'), d('2024-12-20'))).toEqual([]);
    const span = tradingDaysBetween(d('2000-01-01'), d('2030-12-31'));
    for (let i = 1; i < span.length; i++) expect(span[i - 1] < span[i]).toBe(true);
  });

  // Speed is measured by `npm run bench:micro` (bench/micro.ts), not asserted here: a busy machine is not a bug.
  it('answers the same over a long sweep of dates once years are memoised', () => {
    let count = 0;
    for (let i = 0; i < 10_000; i++) {
      const date = addDays(d('2001-01-01'), i);
      if (isTradingDay(date)) count++;
      expect(tradingDaysBack(date, 252) < date).toBe(true);
    }
    // ~252 trading days a year over 27.4 years
    expect(count).toBeGreaterThan(6_800);
    expect(count).toBeLessThan(7_000);
  });
});

/** Helper for the randomised check: walk n trading days forward from `from`. */
function nextAfter(from: CalendarDate, n: number): CalendarDate {
  let cur = from;
  for (let k = 0; k < n; k++) {
    do cur = addDays(cur, 1); while (!isTradingDay(cur));
  }
  return cur;
}
