import type { PositionType } from '../analytics/calculators/types';
import { isCalendarDate, type CalendarDate } from '../common/branded';
import type { FieldError } from '../common/errors';
import { OPTION_SYMBOL_RE, SYMBOL_RE } from '../portfolios/position-rules';
import { CASH_TYPES, TRADE_TYPES, TRANSACTION_TYPES, TRANSFER_TYPES, type OptionRight, type TransactionType } from './ledger.types';
import { numericColumnProblem, roundToScale6 } from '../common/numeric-input';

/** A transaction as entered (JSON body or CSV row); values still unchecked. */
export interface TransactionDraft {
  type?: string;
  date?: string;
  symbol?: string | null;
  quantity?: number | null;
  price?: number | null;
  fees?: number | null;
  amount?: number | null;
  note?: string | null;
  position_type?: string | null;
  option_type?: string | null;
  underlying_symbol?: string | null;
  strike_price?: number | null;
  expiration_date?: string | null;
  implied_volatility?: number | null;
}

/** A checked transaction; its holding is not resolved yet (see holding-resolution.ts). */
export interface ValidTransaction {
  readonly type: TransactionType;
  readonly date: CalendarDate;
  readonly symbol: string | null;
  readonly quantity: number | null;
  readonly price: number | null;
  readonly fees: number;
  readonly amount: number | null;
  readonly note: string | null;
  /** As given (to check against the type's direction), null when not given. */
  readonly positionType: PositionType | null;
  readonly optionType: OptionRight | null;
  readonly underlyingSymbol: string | null;
  readonly strikePrice: number | null;
  readonly expirationDate: CalendarDate | null;
  readonly impliedVolatility: number | null;
}

const POSITION_TYPES: readonly string[] = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'];
export const isTradeType = (t: TransactionType) => (TRADE_TYPES as readonly string[]).includes(t);
export const isCashType = (t: TransactionType) => (CASH_TYPES as readonly string[]).includes(t);
export const isTransferType = (t: TransactionType) => (TRANSFER_TYPES as readonly string[]).includes(t);

/** A positive number that numeric(20,6) stores without losing it (checked, then rounded to 6 decimals). */
function positive(errors: FieldError[], field: string, v: number | null | undefined, required: boolean, allowZero = false): number | null {
  if (v === undefined || v === null) {
    if (required) errors.push({ field, message: 'is required' });
    return null;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) errors.push({ field, message: 'must be a finite number' });
  else if (allowZero ? v < 0 : v <= 0) errors.push({ field, message: allowZero ? 'must not be negative' : 'must be positive' });
  else {
    // the one rule of every numeric(20,6) input, JSON and CSV alike
    const problem = numericColumnProblem(v);
    if (problem) errors.push({ field, message: problem });
    else return roundToScale6(v);
  }
  return null;
}

function forbid(errors: FieldError[], d: TransactionDraft, fields: ReadonlyArray<keyof TransactionDraft>, type: string) {
  for (const f of fields) if (d[f] !== undefined && d[f] !== null && d[f] !== '') errors.push({ field: f, message: `does not apply to ${type}` });
}

const OPTION_FIELDS = ['position_type', 'option_type', 'underlying_symbol', 'strike_price', 'expiration_date', 'implied_volatility'] as const;

function checkOptionFields(errors: FieldError[], d: TransactionDraft): Pick<ValidTransaction, 'positionType' | 'optionType' | 'underlyingSymbol' | 'strikePrice' | 'expirationDate' | 'impliedVolatility'> {
  const pt = d.position_type ? d.position_type.toUpperCase() : null;
  if (pt && !POSITION_TYPES.includes(pt)) errors.push({ field: 'position_type', message: `must be one of ${POSITION_TYPES.join(', ')}` });
  const ot = d.option_type ? d.option_type.toUpperCase() : null;
  if (ot && ot !== 'CALL' && ot !== 'PUT') errors.push({ field: 'option_type', message: 'must be CALL or PUT' });
  const fromType: OptionRight | null = pt === 'LC' || pt === 'SC' ? 'CALL' : pt === 'LP' || pt === 'SP' ? 'PUT' : null;
  if (ot && pt && fromType !== ot) errors.push({ field: 'option_type', message: `does not match position_type ${pt}` });
  const underlying = d.underlying_symbol ? d.underlying_symbol.trim().toUpperCase() : null;
  if (underlying && !SYMBOL_RE.test(underlying)) errors.push({ field: 'underlying_symbol', message: 'must be 1-12 of A-Z 0-9 . -' });
  const exp = d.expiration_date || null;
  if (exp && !isCalendarDate(exp)) errors.push({ field: 'expiration_date', message: 'must be an ISO date YYYY-MM-DD' });
  const iv = d.implied_volatility;
  if (iv !== undefined && iv !== null && !(iv > 0 && iv <= 5)) errors.push({ field: 'implied_volatility', message: 'must be in (0, 5] (a fraction, 0.25 = 25%)' });
  return {
    positionType: pt && POSITION_TYPES.includes(pt) ? (pt as PositionType) : null,
    optionType: ((ot === 'CALL' || ot === 'PUT' ? ot : null) ?? fromType) as OptionRight | null,
    underlyingSymbol: underlying,
    strikePrice: positive(errors, 'strike_price', d.strike_price, false),
    expirationDate: (exp as CalendarDate | null),
    impliedVolatility: iv ?? null,
  };
}

function checkTypeAndDate(errors: FieldError[], d: TransactionDraft, today: CalendarDate): TransactionType | null {
  const type = d.type?.trim().toUpperCase();
  if (!type) errors.push({ field: 'type', message: 'is required' });
  else if (!(TRANSACTION_TYPES as readonly string[]).includes(type)) errors.push({ field: 'type', message: `must be one of ${TRANSACTION_TYPES.join(', ')}` });
  else if (type === 'SPLIT' || type === 'EXPIRE') errors.push({ field: 'type', message: `${type} is written by the batch from corporate actions and expirations, not entered` });
  if (!d.date) errors.push({ field: 'date', message: 'is required' });
  else if (!isCalendarDate(d.date)) errors.push({ field: 'date', message: 'must be an ISO date YYYY-MM-DD' });
  else if (d.date > today) errors.push({ field: 'date', message: `must not be in the future (today is ${today})` });
  return type && (TRANSACTION_TYPES as readonly string[]).includes(type) && type !== 'SPLIT' && type !== 'EXPIRE' ? (type as TransactionType) : null;
}

/**
 * The per-transaction rules (DESIGN §8), shared by the JSON routes and the CSV
 * import. Trades and transfers need symbol, quantity > 0 and price > 0; cash
 * needs amount > 0 and no instrument; EXERCISE/ASSIGN need symbol and quantity.
 */
export function validateTransaction(draft: TransactionDraft, today: CalendarDate): { value?: ValidTransaction; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const type = checkTypeAndDate(errors, draft, today);
  const fees = positive(errors, 'fees', draft.fees, false, true) ?? 0;
  const note = draft.note?.trim() || null;
  if (note && note.length > 500) errors.push({ field: 'note', message: 'must be at most 500 characters' });
  const option = checkOptionFields(errors, draft);
  const symbol = draft.symbol?.trim().toUpperCase() || null;
  let quantity: number | null = null;
  let price: number | null = null;
  let amount: number | null = null;
  if (type && isCashType(type)) {
    forbid(errors, draft, ['symbol', 'quantity', 'price', ...OPTION_FIELDS], type);
    amount = positive(errors, 'amount', draft.amount, true);
  } else if (type) {
    forbid(errors, draft, ['amount'], type);
    if (!symbol) errors.push({ field: 'symbol', message: 'is required' });
    else if (!OPTION_SYMBOL_RE.test(symbol)) errors.push({ field: 'symbol', message: 'must be 1-12 characters of A-Z 0-9 . - (options: up to 21)' });
    quantity = positive(errors, 'quantity', draft.quantity, true);
    const event = type === 'EXERCISE' || type === 'ASSIGN';
    if (event) forbid(errors, draft, ['price'], type);
    else price = positive(errors, 'price', draft.price, true);
  }
  if (errors.length || !type) return { errors };
  return { errors, value: { type, date: draft.date as CalendarDate, symbol, quantity, price, fees, amount, note, ...option } };
}
