/** The ledger engine (DESIGN §8): pure replay of a portfolio's transactions into lots, cash and daily activity. */
import type { CalendarDate } from '../../common/branded';
import type { LedgerState, MarketFacts, PortfolioLedger } from '../ledger.types';
import { LedgerError } from '../ledger.types';
import { LedgerReplay } from './replay';

export { holdingIdFor, positionTypeFor, multiplierOf, isOptionHolding, isLongHolding, uuidV5, HOLDING_ID_NAMESPACE, OPTION_MULTIPLIER } from './holding-id';
export { QUANTITY_EPSILON } from './lots';
export { EXERCISE_THRESHOLD, intrinsicValue, exercisedByException } from './expiry';

/** A fresh replay of `ledger`, positioned before its first date; call `advanceTo` to walk it forward. */
export function replayLedger(ledger: PortfolioLedger, facts: MarketFacts): LedgerState {
  return new LedgerReplay(ledger, facts);
}

/** Replays `ledger` up to `upTo`; the first LedgerError (e.g. a sell beyond what is held), or null when the book is sound. */
export function validateLedger(ledger: PortfolioLedger, facts: MarketFacts, upTo: CalendarDate): LedgerError | null {
  try {
    replayLedger(ledger, facts).advanceTo(upTo);
    return null;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
}
