/**
 * User transactions: trades, transfers, cash movements and early
 * exercise/assignment, each turned into lot changes and cash legs.
 */
import type { Holding, LedgerTransaction, MarketFacts } from '../ledger.types';
import { LedgerError } from '../ledger.types';
import type { Book } from './book';
import { fmt } from './book';
import { settleOption } from './expiry';
import { isLongHolding, isOptionHolding, multiplierOf } from './holding-id';

export function applyTransaction(book: Book, tx: LedgerTransaction, facts: MarketFacts): void {
  switch (tx.type) {
    case 'BUY':
    case 'SELL_SHORT':
      return openTrade(book, tx);
    case 'SELL':
    case 'BUY_TO_COVER':
      return closeTrade(book, tx);
    case 'TRANSFER_IN':
    case 'TRANSFER_OUT':
      return transfer(book, tx);
    case 'DEPOSIT':
      return book.money.externalFlow(amountOf(tx));
    case 'WITHDRAWAL':
      return book.money.externalFlow(-amountOf(tx));
    case 'DIVIDEND':
    case 'INTEREST':
      return book.money.income(amountOf(tx), tx.positionId);
    case 'FEE':
      return book.money.fee(amountOf(tx), tx.positionId);
    case 'EXERCISE':
    case 'ASSIGN':
      return exerciseEarly(book, tx, facts);
    case 'SPLIT':
    case 'EXPIRE':
      throw invalid(tx, `${tx.type} is written by the batch, not entered`);
  }
}

function invalid(tx: LedgerTransaction, reason: string): LedgerError {
  return new LedgerError(`${tx.type} on ${tx.date}: ${reason}`, { transactionId: tx.id, date: tx.date, positionId: tx.positionId ?? undefined });
}

function amountOf(tx: LedgerTransaction): number {
  if (tx.amount === null || !(tx.amount > 0)) throw invalid(tx, 'amount must be > 0');
  return tx.amount;
}

function quantityOf(tx: LedgerTransaction): number {
  if (tx.quantity === null || !(tx.quantity > 0)) throw invalid(tx, 'quantity must be > 0');
  return tx.quantity;
}

function priceOf(tx: LedgerTransaction): number {
  if (tx.price === null || !(tx.price >= 0)) throw invalid(tx, 'price must be >= 0');
  return tx.price;
}

/** BUY/SELL act on a long holding, SELL_SHORT/BUY_TO_COVER on a short one. */
function tradedHolding(book: Book, tx: LedgerTransaction): Holding {
  const holding = book.holdingOf(tx);
  const wantsLong = tx.type === 'BUY' || tx.type === 'SELL' || tx.type === 'EXERCISE';
  if (isLongHolding(holding) !== wantsLong) {
    throw invalid(tx, `${tx.type} acts on a ${wantsLong ? 'long' : 'short'} holding; ${holding.symbol} is ${holding.positionType}`);
  }
  return holding;
}

function openTrade(book: Book, tx: LedgerTransaction): void {
  const holding = tradedHolding(book, tx);
  requireNotExpired(holding, tx);
  const q = quantityOf(tx);
  const m = multiplierOf(holding);
  const gross = q * priceOf(tx) * m;
  // Long: cost includes the fees; short: the credit is net of them.
  const net = tx.type === 'BUY' ? gross + tx.fees : gross - tx.fees;
  book.lots.open(holding, q, net / (q * m), tx.date);
  book.money.holdingCash(holding.id, tx.type === 'BUY' ? -net : net);
  book.money.countTradeFees(tx.fees);
}

function closeTrade(book: Book, tx: LedgerTransaction): void {
  const holding = tradedHolding(book, tx);
  const q = quantityOf(tx);
  const price = priceOf(tx);
  requireHeld(book, holding, tx, q);
  book.money.realize(book.lots.close(holding, { quantity: q, price, fees: tx.fees, date: tx.date, transactionId: tx.id }));
  const gross = q * price * multiplierOf(holding);
  book.money.holdingCash(holding.id, tx.type === 'SELL' ? gross - tx.fees : -(gross + tx.fees));
  book.money.countTradeFees(tx.fees);
}

/** Securities in or out at cost basis, no cash but the fees; the direction comes from the holding. */
function transfer(book: Book, tx: LedgerTransaction): void {
  const holding = book.holdingOf(tx);
  const q = quantityOf(tx);
  const sign = isLongHolding(holding) ? 1 : -1;
  if (tx.type === 'TRANSFER_IN') {
    requireNotExpired(holding, tx);
    book.lots.open(holding, q, priceOf(tx), tx.date);
    book.money.transfer(holding.id, sign * q);
  } else {
    requireHeld(book, holding, tx, q);
    book.lots.remove(holding, q);
    book.money.transfer(holding.id, -sign * q);
  }
  if (tx.fees > 0) book.money.fee(tx.fees, holding.id);
}

/** A user's early exercise (long) or assignment (short), settled at the underlying's close of its date. */
function exerciseEarly(book: Book, tx: LedgerTransaction, facts: MarketFacts): void {
  const holding = tx.type === 'EXERCISE' ? tradedHolding(book, tx) : assignedHolding(book, tx);
  if (!isOptionHolding(holding)) throw invalid(tx, `${holding.symbol} is not an option`);
  const held = Math.abs(book.lots.quantity(holding.id));
  const contracts = tx.quantity ?? held;
  if (!(contracts > 0)) throw invalid(tx, `no open ${holding.symbol} contracts`);
  requireHeld(book, holding, tx, contracts);
  const underlying = holding.underlyingSymbol ?? holding.symbol;
  const close = facts.close(underlying, tx.date);
  if (close === null) {
    throw new LedgerError(`${tx.type} ${holding.symbol} on ${tx.date}: no close for ${underlying} on ${tx.date}`, {
      transactionId: tx.id, date: tx.date, positionId: holding.id, symbol: underlying,
    });
  }
  const key = `${tx.type}|${holding.id}|${tx.date}|${tx.id}`;
  settleOption(book, holding, { kind: tx.type as 'EXERCISE' | 'ASSIGN', contracts, underlyingClose: close, date: tx.date, key, transactionId: tx.id, recordOptionLeg: false });
  if (tx.fees > 0) book.money.fee(tx.fees, holding.id);
}

function assignedHolding(book: Book, tx: LedgerTransaction): Holding {
  const holding = book.holdingOf(tx);
  if (isLongHolding(holding)) throw invalid(tx, `ASSIGN acts on a short option; ${holding.symbol} is ${holding.positionType}`);
  return holding;
}

/** An option cannot be opened after its expiration date (it would never expire). */
function requireNotExpired(holding: Holding, tx: LedgerTransaction): void {
  if (isOptionHolding(holding) && holding.expirationDate !== null && tx.date > holding.expirationDate) {
    throw invalid(tx, `${holding.symbol} expired on ${holding.expirationDate}`);
  }
}

/** Throws the shortfall when `quantity` exceeds what the holding has open. */
function requireHeld(book: Book, holding: Holding, tx: LedgerTransaction, quantity: number): void {
  const held = Math.abs(book.lots.quantity(holding.id));
  const shortfall = quantity - held;
  if (shortfall <= 1e-9) return;
  const long = isLongHolding(holding);
  const hint = tx.type === 'SELL' ? ' (use SELL_SHORT to open a short)' : tx.type === 'BUY_TO_COVER' ? ' (use BUY to open a long)' : '';
  throw new LedgerError(
    `${tx.type} ${fmt(quantity)} ${holding.symbol} on ${tx.date}: ${fmt(held)} held${long ? '' : ' short'}, shortfall ${fmt(shortfall)}${hint}`,
    { transactionId: tx.id, date: tx.date, positionId: holding.id, symbol: holding.symbol, shortfall },
  );
}
