/**
 * Branded primitives. A `PortfolioId` and a `CalendarDate` are both strings at
 * run time, but the compiler keeps them apart, so a portfolio id can never be
 * passed where a calculation date is expected (the original system's crash).
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type PortfolioId = Brand<string, 'PortfolioId'>;
export type PositionId = Brand<string, 'PositionId'>;
export type UserId = Brand<string, 'UserId'>;
export type BatchRunId = Brand<string, 'BatchRunId'>;
/** A trading or calendar day as ISO `YYYY-MM-DD`, no time zone. */
export type CalendarDate = Brand<string, 'CalendarDate'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** True when `value` is a real calendar day in ISO form (rejects 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function asCalendarDate(value: string): CalendarDate {
  if (!isCalendarDate(value)) throw new TypeError(`Not an ISO calendar date: ${value}`);
  return value as CalendarDate;
}

export const asPortfolioId = (value: string): PortfolioId => value as PortfolioId;
export const asPositionId = (value: string): PositionId => value as PositionId;
export const asUserId = (value: string): UserId => value as UserId;
export const asBatchRunId = (value: string): BatchRunId => value as BatchRunId;
