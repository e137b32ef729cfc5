/**
 * Splits and cash dividends of the symbols a portfolio holds. A split adjusts
 * at the open of its ex-date (quantity × ratio, cost per unit ÷ ratio, option
 * strikes ÷ ratio, no P&L). A dividend is owed on the quantity held at the
 * close before the ex-date and paid on the pay date (the ex-date when
 * unknown); a short holding pays it.
 */
import type { CalendarDate, PositionId } from '../../common/branded';
import type { CorporateAction, Holding } from '../ledger.types';
import type { Book } from './book';
import { fmt } from './book';
import { isLongHolding, isOptionHolding } from './holding-id';

/** A dividend owed since its ex-date, paid on its pay date. */
export interface DividendEntitlement {
  readonly holdingId: PositionId;
  readonly exDate: CalendarDate;
  readonly payDate: CalendarDate;
  /** Units held at the close before the ex-date (> 0; the holding's direction gives the sign). */
  readonly quantity: number;
  readonly perShare: number;
  /** Stable key of the generated DIVIDEND (a second dividend of the symbol on the same ex-date gets a suffix). */
  readonly key: string;
}

/** The date a dividend is paid: its pay date, or the ex-date when unknown (or, in bad data, earlier). */
export function payDateOf(action: CorporateAction): CalendarDate {
  return action.payDate !== null && action.payDate > action.exDate ? action.payDate : action.exDate;
}

/**
 * Stock holdings of `symbol` with open lots, with their quantity: the dividend
 * entitlements of an ex-date. `nth` counts earlier dividends of the symbol on
 * the same ex-date (a special dividend beside the regular one).
 */
export function dividendEntitlements(book: Book, action: CorporateAction, nth = 0): DividendEntitlement[] {
  const perShare = action.amount ?? 0;
  if (!(perShare > 0)) return [];
  const out: DividendEntitlement[] = [];
  for (const holding of book.holdings.values()) {
    if (holding.symbol !== action.symbol || isOptionHolding(holding)) continue;
    const quantity = Math.abs(book.lots.quantity(holding.id));
    if (quantity === 0) continue;
    const key = `DIVIDEND|${holding.id}|${action.exDate}${nth > 0 ? `|${nth + 1}` : ''}`;
    out.push({ holdingId: holding.id, exDate: action.exDate, payDate: payDateOf(action), quantity, perShare, key });
  }
  return out;
}

/**
 * Pays a dividend: income on a long holding, a charge on a short one. The
 * generated DIVIDEND keeps every stored number positive (quantity held, price
 * = per share, amount = cash); the holding's direction gives the sign.
 */
export function payDividend(book: Book, e: DividendEntitlement, date: CalendarDate): void {
  const holding = book.holdings.get(e.holdingId);
  if (!holding) return;
  const long = isLongHolding(holding);
  const cash = e.quantity * e.perShare;
  book.money.income(long ? cash : -cash, holding.id);
  const what = long ? 'paid on' : 'charged to the short';
  book.money.generate({
    key: e.key,
    type: 'DIVIDEND',
    date,
    positionId: holding.id,
    symbol: null,
    quantity: e.quantity,
    price: e.perShare,
    amount: cash,
    ratio: null,
    note: `dividend ${fmt(e.perShare)}/share ${what} ${fmt(e.quantity)} ${holding.symbol} (ex ${e.exDate}): ${long ? '+' : '-'}${fmt(cash)}`,
  });
}

/** Applies a split of `action.symbol` to its stock holdings and to the options on it. */
export function applySplit(book: Book, action: CorporateAction, date: CalendarDate): void {
  const ratio = action.ratio ?? 1;
  if (!(ratio > 0) || ratio === 1) return;
  for (const holding of [...book.holdings.values()]) {
    const option = isOptionHolding(holding);
    if ((option ? holding.underlyingSymbol : holding.symbol) !== action.symbol) continue;
    const before = book.lots.quantity(holding.id);
    if (before === 0) continue;
    book.lots.split(holding.id, ratio);
    if (option && holding.strikePrice !== null) book.holdings.set(holding.id, adjustStrike(holding, ratio));
    book.money.generate({
      key: `SPLIT|${holding.id}|${date}`,
      type: 'SPLIT',
      date,
      positionId: holding.id,
      symbol: null,
      quantity: Math.abs(book.lots.quantity(holding.id)),
      price: null,
      amount: null,
      ratio,
      note: `${fmt(ratio)}-for-1 split of ${action.symbol}: ${fmt(Math.abs(before))} → ${fmt(Math.abs(before * ratio))} ${holding.symbol}`,
    });
  }
}

function adjustStrike(holding: Holding, ratio: number): Holding {
  return { ...holding, strikePrice: (holding.strikePrice as number) / ratio };
}
