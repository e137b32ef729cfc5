import type { PositionType } from '../analytics/calculators/types';
import type { PortfolioId } from '../common/branded';
import type { FieldError } from '../common/errors';
import { SYMBOL_RE } from '../portfolios/position-rules';
import { holdingIdFor, positionTypeFor } from './engine';
import type { Holding, OptionRight } from './ledger.types';
import { isCashType, isTransferType, type ValidTransaction } from './transaction-rules';

export interface ResolvedHolding {
  readonly holding: Holding;
  /** True when the holding does not exist yet and must be created with the transaction. */
  readonly isNew: boolean;
}

const LONG_OF: Record<PositionType, PositionType> = { LONG: 'LONG', SHORT: 'LONG', LC: 'LC', SC: 'LC', LP: 'LP', SP: 'LP' };
const isShort = (t: PositionType) => t === 'SHORT' || t === 'SC' || t === 'SP';

/** The holding's direction: trades and events from their type; transfers from position_type (default long). */
function directionOf(tx: ValidTransaction, right: OptionRight | null): PositionType {
  if (isTransferType(tx.type)) return tx.positionType ?? LONG_OF[positionTypeFor('BUY', right)];
  return positionTypeFor(tx.type, right);
}

function termsMismatch(tx: ValidTransaction, h: Holding): FieldError[] {
  const errors: FieldError[] = [];
  const differs = <T>(given: T | null, stored: T | null) => given !== null && given !== stored;
  if (differs(tx.underlyingSymbol, h.underlyingSymbol)) errors.push({ field: 'underlying_symbol', message: `does not match the holding of ${h.symbol} (${h.underlyingSymbol ?? 'none'})` });
  if (differs(tx.strikePrice, h.strikePrice)) errors.push({ field: 'strike_price', message: `does not match the holding of ${h.symbol} (${h.strikePrice ?? 'none'})` });
  if (differs(tx.expirationDate, h.expirationDate)) errors.push({ field: 'expiration_date', message: `does not match the holding of ${h.symbol} (${h.expirationDate ?? 'none'})` });
  if (tx.optionType !== null && tx.optionType !== h.optionType) errors.push({ field: 'option_type', message: `does not match the holding of ${h.symbol} (${h.optionType ?? 'stock'})` });
  return errors;
}

function newHolding(portfolioId: PortfolioId, tx: ValidTransaction, type: PositionType, right: OptionRight | null, errors: FieldError[]): Holding {
  const symbol = tx.symbol!;
  if (right === null) {
    if (!SYMBOL_RE.test(symbol)) errors.push({ field: 'symbol', message: 'must be 1-12 characters of A-Z 0-9 . -' });
    for (const f of ['underlying_symbol', 'strike_price', 'expiration_date'] as const) {
      const v = { underlying_symbol: tx.underlyingSymbol, strike_price: tx.strikePrice, expiration_date: tx.expirationDate }[f];
      if (v !== null) errors.push({ field: f, message: 'only applies to options (give option_type CALL or PUT)' });
    }
  } else {
    if (!tx.underlyingSymbol) errors.push({ field: 'underlying_symbol', message: 'is required for a new option holding' });
    if (tx.strikePrice === null) errors.push({ field: 'strike_price', message: 'is required for a new option holding' });
    if (!tx.expirationDate) errors.push({ field: 'expiration_date', message: 'is required for a new option holding' });
  }
  return {
    id: holdingIdFor(portfolioId, symbol, type), symbol, positionType: type, optionType: right,
    underlyingSymbol: right ? tx.underlyingSymbol : null, strikePrice: right ? tx.strikePrice : null,
    expirationDate: right ? tx.expirationDate : null, impliedVolatility: tx.impliedVolatility,
  };
}

/**
 * The holding a transaction acts on (DESIGN §8): found by (symbol, direction)
 * among `holdings`, else created with holdingIdFor's id. Option terms given
 * must match any holding of the symbol; when not given they come from it, so
 * an option can be sold by its symbol alone. Cash transactions have none.
 */
export function resolveHolding(
  portfolioId: PortfolioId,
  tx: ValidTransaction,
  holdings: Iterable<Holding>,
): { value?: ResolvedHolding | null; errors: FieldError[] } {
  if (isCashType(tx.type)) return { value: null, errors: [] };
  const sameSymbol = [...holdings].filter((h) => h.symbol === tx.symbol);
  const right = tx.optionType ?? sameSymbol[0]?.optionType ?? null;
  const errors: FieldError[] = sameSymbol.length ? termsMismatch(tx, sameSymbol[0]) : [];
  if ((tx.type === 'EXERCISE' || tx.type === 'ASSIGN') && right === null)
    errors.push({ field: 'type', message: `${tx.type} applies to option holdings only` });
  if (errors.length) return { errors };
  const type = directionOf(tx, right);
  if (tx.positionType !== null && tx.positionType !== type)
    errors.push({ field: 'position_type', message: `${tx.positionType} does not match ${tx.type}, which acts on a ${type} holding` });
  if (isTransferType(tx.type) && tx.positionType !== null && (right === null) !== (tx.positionType === 'LONG' || tx.positionType === 'SHORT'))
    errors.push({ field: 'position_type', message: `${tx.positionType} does not match the instrument` });
  if (errors.length) return { errors };
  const existing = sameSymbol.find((h) => h.positionType === type);
  if (existing) return { value: { holding: existing, isNew: false }, errors };
  const template = sameSymbol[0];
  const filled: ValidTransaction = template
    ? { ...tx, underlyingSymbol: template.underlyingSymbol, strikePrice: template.strikePrice, expirationDate: template.expirationDate }
    : tx;
  const holding = newHolding(portfolioId, filled, type, right, errors);
  return errors.length ? { errors } : { value: { holding, isNew: true }, errors };
}

export { isShort };
