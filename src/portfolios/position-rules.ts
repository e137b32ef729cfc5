import { isCalendarDate } from '../common/branded';
import type { FieldError } from '../common/errors';
import { NUMERIC_10_6, numericColumnProblem, type NumericColumn } from '../common/numeric-input';
import { isOptionType, isShortType, POSITION_TYPES, PositionType } from './position.entity';

/** A position as entered (JSON body or CSV row), after trimming; values still unchecked. */
export interface PositionDraft {
  symbol?: string;
  quantity?: number;
  entry_price?: number;
  entry_date?: string;
  position_type?: string;
  option_type?: string;
  underlying_symbol?: string | null;
  strike_price?: number | null;
  expiration_date?: string | null;
  implied_volatility?: number | null;
}

export interface ValidPosition {
  symbol: string;
  quantity: number;
  entryPrice: number;
  entryDate: string;
  positionType: PositionType;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: string | null;
  impliedVolatility: number | null;
}

export const SYMBOL_RE = /^[A-Z0-9.-]{1,12}$/;
// Option contracts may use their OCC symbol (e.g. AAPL250620C00200000, 21 characters).
export const OPTION_SYMBOL_RE = /^[A-Z0-9.-]{1,21}$/;
export const MULTIPLIER_OPTION = 100;

/** LONG/SHORT from the sign, or LC/SC/LP/SP from option_type and the sign, when no type is given. */
function inferType(d: PositionDraft): string | undefined {
  if (d.position_type) return d.position_type.toUpperCase();
  const short = (d.quantity ?? 0) < 0;
  const opt = d.option_type?.toUpperCase();
  if (opt === 'CALL') return short ? 'SC' : 'LC';
  if (opt === 'PUT') return short ? 'SP' : 'LP';
  return short ? 'SHORT' : 'LONG';
}

function checkNumber(errors: FieldError[], field: string, v: number | null | undefined, opts: { positive?: boolean; required: boolean; column?: NumericColumn }) {
  if (v === undefined || v === null) {
    if (opts.required) errors.push({ field, message: 'is required' });
    return;
  }
  const problem = numericColumnProblem(v, opts.column);
  if (problem) errors.push({ field, message: problem });
  else if (opts.positive && v <= 0) errors.push({ field, message: 'must be positive' });
}

function checkOptionFields(errors: FieldError[], d: PositionDraft, type: PositionType) {
  const option = isOptionType(type);
  if (option) {
    if (!d.underlying_symbol) errors.push({ field: 'underlying_symbol', message: 'is required for options' });
    else if (!SYMBOL_RE.test(d.underlying_symbol)) errors.push({ field: 'underlying_symbol', message: 'must be 1-12 of A-Z 0-9 . -' });
    checkNumber(errors, 'strike_price', d.strike_price, { positive: true, required: true });
    if (!d.expiration_date) errors.push({ field: 'expiration_date', message: 'is required for options' });
    else if (!isCalendarDate(d.expiration_date)) errors.push({ field: 'expiration_date', message: 'must be an ISO date YYYY-MM-DD' });
    else if (d.entry_date && isCalendarDate(d.entry_date) && d.expiration_date <= d.entry_date)
      errors.push({ field: 'expiration_date', message: 'must be after entry_date' });
    const opt = d.option_type?.toUpperCase();
    if (opt && opt !== (type === 'LC' || type === 'SC' ? 'CALL' : 'PUT'))
      errors.push({ field: 'option_type', message: `does not match position_type ${type}` });
  } else {
    for (const f of ['underlying_symbol', 'strike_price', 'expiration_date', 'option_type'] as const) {
      if (d[f] !== undefined && d[f] !== null && d[f] !== '') errors.push({ field: f, message: `only applies to options (position_type LC, LP, SC, SP)` });
    }
  }
}

/**
 * The position rules, shared by the JSON routes and the CSV import so they
 * cannot drift. `today` is the latest allowed entry date.
 */
export function validatePosition(draft: PositionDraft, today: string): { value?: ValidPosition; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const d = { ...draft, symbol: draft.symbol?.trim().toUpperCase(), underlying_symbol: draft.underlying_symbol?.trim().toUpperCase() || null };
  const type = inferType(d);
  const typeOk = (POSITION_TYPES as readonly string[]).includes(type ?? '');
  if (!typeOk) errors.push({ field: 'position_type', message: `must be one of ${POSITION_TYPES.join(', ')}` });
  const positionType = type as PositionType;
  if (!d.symbol) errors.push({ field: 'symbol', message: 'is required' });
  else if (!(typeOk && isOptionType(positionType) ? OPTION_SYMBOL_RE : SYMBOL_RE).test(d.symbol))
    errors.push({ field: 'symbol', message: 'must be 1-12 characters of A-Z 0-9 . - (options: up to 21)' });
  checkNumber(errors, 'quantity', d.quantity, { required: true });
  if (d.quantity === 0) errors.push({ field: 'quantity', message: 'must not be zero' });
  checkNumber(errors, 'entry_price', d.entry_price, { positive: true, required: true });
  if (!d.entry_date) errors.push({ field: 'entry_date', message: 'is required' });
  else if (!isCalendarDate(d.entry_date)) errors.push({ field: 'entry_date', message: 'must be an ISO date YYYY-MM-DD' });
  else if (d.entry_date > today) errors.push({ field: 'entry_date', message: `must not be in the future (today is ${today})` });
  const iv = d.implied_volatility;
  if (iv !== undefined && iv !== null) {
    const problem = iv > 0 && iv <= 5 ? numericColumnProblem(iv, NUMERIC_10_6) : 'must be in (0, 5] (a fraction, 0.25 = 25%)';
    if (problem) errors.push({ field: 'implied_volatility', message: problem });
  }
  if (typeOk) {
    checkOptionFields(errors, d, positionType);
    if (typeof d.quantity === 'number' && d.quantity !== 0 && isShortType(positionType) !== d.quantity < 0)
      errors.push({ field: 'quantity', message: `sign must match position_type ${positionType} (${isShortType(positionType) ? 'negative' : 'positive'})` });
  }
  if (errors.length > 0) return { errors };
  const option = isOptionType(positionType);
  return {
    errors,
    value: {
      symbol: d.symbol!,
      quantity: d.quantity!,
      entryPrice: d.entry_price!,
      entryDate: d.entry_date!,
      positionType,
      underlyingSymbol: option ? d.underlying_symbol : null,
      strikePrice: option ? d.strike_price ?? null : null,
      expirationDate: option ? d.expiration_date ?? null : null,
      impliedVolatility: d.implied_volatility ?? null,
    },
  };
}
