import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Numbers as the database stores them. A `numeric(p, s)` column holds
 * |x| < 10^(p-s) and rounds to s decimals, so a value below half a unit of
 * the last decimal is stored as 0 (a strike of 1e-7 became 0 and broke every
 * run of its portfolio). One rule for JSON bodies (the DTO decorator) and CSV
 * cells (position-rules.ts, shared with the import).
 */
export interface NumericColumn {
  precision: number;
  scale: number;
}
export const NUMERIC_20_6: NumericColumn = { precision: 20, scale: 6 };
export const NUMERIC_10_6: NumericColumn = { precision: 10, scale: 6 };

/** A value as a numeric(…,6) column stores it. */
export const roundToScale6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Why `value` does not fit the column; null when it does. */
export function numericColumnProblem(value: number, column: NumericColumn = NUMERIC_20_6): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const max = 10 ** (column.precision - column.scale);
  if (Math.abs(value) >= max) return `must be less than ${max.toExponential()} in absolute value`;
  if (value !== 0 && Math.abs(value) < 0.5 * 10 ** -column.scale) return `rounds to 0 at ${column.scale} decimal places (smallest: ${10 ** -column.scale})`;
  return null;
}

/** A JSON number that fits its `numeric` column (finite, in range, not rounded away). */
export function FitsNumericColumn(column: NumericColumn = NUMERIC_20_6, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'fitsNumericColumn',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && numericColumnProblem(value, column) === null,
        defaultMessage: (args) => `${args?.property} ${typeof args?.value === 'number' ? numericColumnProblem(args.value, column) : 'must be a number'}`,
      },
    },
    options,
  );
}

/** Plain decimal or scientific notation; no hex/binary/octal, Infinity, NaN, leading '+', separators or blanks. */
const DECIMAL_RE = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A CSV cell or query value as a number; null when it is not written as a plain decimal. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL_RE.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Digits only, at most 15 (every such integer is exact as a JS number). */
const QUERY_INT_RE = /^\d{1,15}$/;

/**
 * A query-string integer: digits only. Anything else (1e1, 0x10, +5, '',
 * a repeated parameter) stays as it came and fails the field's @IsInt, a 400.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && QUERY_INT_RE.test(value) ? Number(value) : value));
}
