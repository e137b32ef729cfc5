/**
 * Option expiry and exercise, physical settlement. At the close of the
 * expiration date OCC exercises by exception (OCC Rule 805): an equity option
 * in the money by $0.01 or more is exercised (long) or assigned (short);
 * otherwise it expires worthless.
 *
 * Settlement keeps the book's value and its P&L consistent: the option closes
 * at its intrinsic value I (realized = I × units − premium, sign-correct for
 * shorts) and the shares trade at the underlying's close S = K ± I, so the cash
 * of the two legs together is exactly strike × shares and the shares start
 * with no unrealized P&L (booking them at K would count I twice).
 */
import type { CalendarDate } from '../../common/branded';
import type { Holding, TransactionId } from '../ledger.types';
import type { Book } from './book';
import { fmt } from './book';
import { isLongHolding, OPTION_MULTIPLIER, optionRightOf } from './holding-id';

/** OCC Rule 805 exercise-by-exception threshold. */
export const EXERCISE_THRESHOLD = 0.01;

export function intrinsicValue(holding: Holding, underlyingClose: number): number {
  const strike = holding.strikePrice ?? 0;
  return optionRightOf(holding) === 'CALL' ? underlyingClose - strike : strike - underlyingClose;
}

/** In the money by at least $0.01 (rounded to 1e-8 so 150.01 − 150 counts). */
export function exercisedByException(intrinsic: number): boolean {
  return Math.round(intrinsic * 1e8) / 1e8 >= EXERCISE_THRESHOLD;
}

export interface Settlement {
  readonly kind: 'EXERCISE' | 'ASSIGN';
  readonly contracts: number;
  readonly underlyingClose: number;
  readonly date: CalendarDate;
  /** Prefix of the generated transactions' keys. */
  readonly key: string;
  readonly transactionId: TransactionId | null;
  /** False for a user-entered exercise (the user's transaction is the option leg). */
  readonly recordOptionLeg: boolean;
}

/** Closes `s.contracts` of the option at intrinsic value and delivers 100 shares per contract at the strike. */
export function settleOption(book: Book, option: Holding, s: Settlement): void {
  const intrinsic = intrinsicValue(option, s.underlyingClose);
  const long = isLongHolding(option);
  book.money.realize(book.lots.close(option, { quantity: s.contracts, price: intrinsic, fees: 0, date: s.date, transactionId: s.transactionId }));
  book.money.holdingCash(option.id, (long ? 1 : -1) * intrinsic * s.contracts * OPTION_MULTIPLIER);
  const strike = option.strikePrice ?? 0;
  const shares = s.contracts * OPTION_MULTIPLIER;
  const note = `${s.kind} ${fmt(s.contracts)} ${option.symbol} at strike ${fmt(strike)} (${option.underlyingSymbol} close ${fmt(s.underlyingClose)}): ${fmt(shares)} shares, ${fmt(strike * shares)} cash`;
  if (s.recordOptionLeg) {
    book.money.generate({ key: s.key, type: s.kind, date: s.date, positionId: option.id, symbol: null, quantity: s.contracts, price: intrinsic, amount: null, ratio: null, note });
  }
  const buysShares = (optionRightOf(option) === 'CALL') === long;
  const underlying = option.underlyingSymbol ?? option.symbol;
  moveShares(book, underlying, shares, buysShares, s, note);
}

/**
 * Settles the share leg at the underlying's close. Receiving (long call, short
 * put) covers a short stock holding first and buys the rest into the long one;
 * delivering (long put, short call) sells from the long holding first and
 * sells the rest short. Cash moves opposite to the shares.
 */
function moveShares(book: Book, symbol: string, shares: number, receive: boolean, s: Settlement, note: string): void {
  const price = s.underlyingClose;
  const cashPerShare = receive ? -price : price;
  const opposite = book.findShareHolding(symbol, !receive);
  const closed = opposite ? Math.min(shares, Math.abs(book.lots.quantity(opposite.id))) : 0;
  if (opposite && closed > 0) {
    book.money.realize(book.lots.close(opposite, { quantity: closed, price, fees: 0, date: s.date, transactionId: s.transactionId }));
    book.money.holdingCash(opposite.id, closed * cashPerShare);
    book.money.generate(shareLeg(s.key, receive ? 'BUY_TO_COVER' : 'SELL', opposite, closed, s, note));
  }
  const rest = shares - closed;
  if (rest <= 0) return;
  const same = book.shareHolding(symbol, receive);
  book.lots.open(same, rest, price, s.date);
  book.money.holdingCash(same.id, rest * cashPerShare);
  book.money.generate(shareLeg(s.key, receive ? 'BUY' : 'SELL_SHORT', same, rest, s, note));
}

/** A share leg's key names the holding's direction: `<settlement>|SHARES` (long) or `|SHARES_SHORT`. */
function shareLeg(settlementKey: string, type: 'BUY' | 'SELL' | 'SELL_SHORT' | 'BUY_TO_COVER', holding: Holding, quantity: number, s: Settlement, note: string) {
  const key = `${settlementKey}|${holding.positionType === 'SHORT' ? 'SHARES_SHORT' : 'SHARES'}`;
  return { key, type, date: s.date, positionId: holding.id, symbol: holding.symbol, quantity, price: s.underlyingClose, amount: null, ratio: null, note };
}

/**
 * At the close of `date`: settles or expires an option whose expiration has
 * come. Returns a note when the underlying has no close yet (it then waits).
 */
export function expireAtClose(book: Book, option: Holding, date: CalendarDate, close: (symbol: string, d: CalendarDate) => number | null): string | null {
  const contracts = Math.abs(book.lots.quantity(option.id));
  if (contracts === 0) return null;
  const expiration = option.expirationDate ?? date;
  const underlying = option.underlyingSymbol;
  const s = underlying && option.strikePrice !== null ? close(underlying, expiration) : 0;
  if (s === null) return `expiry of ${option.symbol} waits for a close of ${underlying} on ${expiration}`;
  const long = isLongHolding(option);
  if (underlying && exercisedByException(intrinsicValue(option, s))) {
    const kind = long ? 'EXERCISE' : 'ASSIGN';
    settleOption(book, option, { kind, contracts, underlyingClose: s, date, key: `${kind}|${option.id}|${date}`, transactionId: null, recordOptionLeg: true });
    return null;
  }
  book.money.realize(book.lots.close(option, { quantity: contracts, price: 0, fees: 0, date, transactionId: null }));
  const note = `${option.symbol} expired worthless${underlying ? ` (${underlying} close ${fmt(s)}, strike ${fmt(option.strikePrice ?? 0)})` : ''}`;
  book.money.generate({ key: `EXPIRE|${option.id}|${date}`, type: 'EXPIRE', date, positionId: option.id, symbol: null, quantity: contracts, price: 0, amount: null, ratio: null, note });
  return null;
}
