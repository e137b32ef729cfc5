import type { CalendarDate } from '../common/branded';
import { badRequest } from '../common/errors';
import { todayUtc } from '../ledger/ledger-replay.service';
import type { OptionRight } from '../ledger/ledger.types';
import type { ValidTransaction } from '../ledger/transaction-rules';
import { PositionDraft, ValidPosition, validatePosition } from './position-rules';

const rightOf = (t: string): OptionRight | null => (t === 'LC' || t === 'SC' ? 'CALL' : t === 'LP' || t === 'SP' ? 'PUT' : null);

/** A position as entered: a TRANSFER_IN of |quantity| at entry_price on entry_date into its holding (DESIGN §8). */
export const transferInOf = (p: ValidPosition): ValidTransaction => ({
  type: 'TRANSFER_IN', date: p.entryDate as CalendarDate, symbol: p.symbol, quantity: Math.abs(p.quantity), price: p.entryPrice, fees: 0, amount: null,
  note: null, positionType: p.positionType, optionType: rightOf(p.positionType), underlyingSymbol: p.underlyingSymbol, strikePrice: p.strikePrice,
  expirationDate: p.expirationDate as CalendarDate | null, impliedVolatility: p.impliedVolatility,
});

export function validPositionOrThrow(draft: PositionDraft): ValidPosition {
  const { value, errors } = validatePosition(draft, todayUtc());
  if (!value) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  return value;
}

