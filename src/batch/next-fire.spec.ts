import { nextFireAt } from './batch-scheduler';

/** Reference values: the cron expression read by hand against the New York calendar (EDT = UTC-4, EST = UTC-5). */
describe('nextFireAt', () => {
  const NIGHTLY = '30 18 * * 1-5';
  it('later the same weekday, in New York time', () => {
    expect(nextFireAt(NIGHTLY, 'America/New_York', new Date('2025-06-13T12:00:00Z'))).toBe('2025-06-13T22:30:00.000Z');
  });
  it('after Friday’s firing: Monday', () => {
    expect(nextFireAt(NIGHTLY, 'America/New_York', new Date('2025-06-13T23:00:00Z'))).toBe('2025-06-16T22:30:00.000Z');
  });
  it('across the end of daylight saving time (2025-11-02): 18:30 EST is 23:30 UTC', () => {
    expect(nextFireAt(NIGHTLY, 'America/New_York', new Date('2025-10-31T23:00:00Z'))).toBe('2025-11-03T23:30:00.000Z');
  });
  it('in another time zone', () => {
    expect(nextFireAt('0 7 * * *', 'Europe/London', new Date('2025-01-10T08:00:00Z'))).toBe('2025-01-11T07:00:00.000Z');
  });
});
