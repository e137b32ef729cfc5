import type { LedgerPositionValuation } from './ledger-snapshot';
import type { RiskPositionInput } from './risk-types';

/** The risk calculators' input for a position as the day's snapshot stored it (the ledger's holding at the close). */
export function riskPositionOf(p: LedgerPositionValuation): RiskPositionInput {
  return {
    id: p.position_id,
    symbol: p.symbol,
    quantity: p.quantity,
    entryPrice: p.entry_price,
    entryDate: p.entry_date,
    positionType: p.position_type,
    underlyingSymbol: p.underlying_symbol,
    strikePrice: p.strike_price,
    expirationDate: p.expiration_date,
    impliedVolatility: p.implied_volatility,
    marketValue: p.market_value,
  };
}
