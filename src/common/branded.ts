/**
 * Branded primitives. A `PortfolioId` and a `CalendarDate` are both strings at
 * run time, but the compiler keeps them apart, so a portfolio id can never be
 * passed where a calculation date is expected (the original system's crash).
 *
 * The `as*` constructors check the value at run time and throw on a bad one:
 * they belong at the edges (route pipes and DTO transforms in
 * src/common/branded-input.ts, rows read from the database, the CLI, tests),
 * never in a controller or a service.
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

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** True when `value` is a real calendar day in ISO form (rejects 2025-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function asCalendarDate(value: string): CalendarDate {
  if (!isCalendarDate(value)) throw new TypeError(`Not an ISO calendar date: ${String(value)}`);
  return value as CalendarDate;
}

/** Ids are uuids, kept lower-case so string comparison matches PostgreSQL's. */
function asUuid<T extends string>(kind: string, value: string): T {
  if (!isUuid(value)) throw new TypeError(`Not a ${kind} (uuid): ${String(value)}`);
  return value.toLowerCase() as T;
}

export const asPortfolioId = (value: string): PortfolioId => asUuid<PortfolioId>('portfolio id', value);
export const asPositionId = (value: string): PositionId => asUuid<PositionId>('position id', value);
export const asUserId = (value: string): UserId => asUuid<UserId>('user id', value);
export const asBatchRunId = (value: string): BatchRunId => asUuid<BatchRunId>('batch run id', value);
