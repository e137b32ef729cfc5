import type { HoldingPosition, LedgerState } from '../ledger/ledger.types';
import { isOptionType, PositionEntity } from './position.entity';
import { MULTIPLIER_OPTION } from './position-rules';

export interface PositionView {
  id: string;
  portfolio_id: string;
  symbol: string;
  quantity: number;
  entry_price: number;
  entry_date: string | null;
  position_type: string;
  underlying_symbol: string | null;
  strike_price: number | null;
  expiration_date: string | null;
  implied_volatility: number | null;
  multiplier: number;
  cost_basis: number;
  /** The holding's user tags, sorted (PUT /portfolio/{id}/positions/{position_id}/tags). */
  tags: string[];
  created_at: string;
  updated_at: string;
}

/**
 * A holding as a position (DESIGN §8: open lots summed per instrument):
 * entry_price is the cost per unit, entry_date the earliest open lot. A
 * closed holding shows quantity 0 and no entry date.
 */
export function toPositionView(
  portfolioId: string, row: PositionEntity | undefined, p: HoldingPosition | undefined, fallback: HoldingPosition['holding'], tags: readonly string[] = [],
): PositionView {
  const h = row
    ? { symbol: row.symbol, positionType: row.positionType, underlyingSymbol: row.underlyingSymbol, strikePrice: row.strikePrice, expirationDate: row.expirationDate, impliedVolatility: row.impliedVolatility }
    : fallback;
  const stamp = (d: Date | undefined) => (d ?? new Date()).toISOString();
  return {
    id: row?.id ?? fallback.id,
    portfolio_id: portfolioId,
    symbol: h.symbol,
    quantity: p?.quantity ?? 0,
    entry_price: p?.costPerUnit ?? 0,
    entry_date: p?.openedAt ?? null,
    position_type: h.positionType,
    underlying_symbol: h.underlyingSymbol,
    strike_price: h.strikePrice,
    expiration_date: h.expirationDate,
    implied_volatility: h.impliedVolatility,
    multiplier: isOptionType(h.positionType) ? MULTIPLIER_OPTION : 1,
    cost_basis: p?.costBasis ?? 0,
    tags: [...tags],
    created_at: stamp(row?.createdAt),
    updated_at: stamp(row?.updatedAt),
  };
}

/** Open positions of a replayed ledger, by symbol then creation. */
export function openPositionViews(
  portfolioId: string, state: LedgerState, rows: ReadonlyMap<string, PositionEntity>, tags: ReadonlyMap<string, readonly string[]> = new Map(),
): PositionView[] {
  return state
    .positions()
    .map((p) => ({ p, row: rows.get(p.holding.id) }))
    .sort((a, b) => (a.p.holding.symbol < b.p.holding.symbol ? -1 : a.p.holding.symbol > b.p.holding.symbol ? 1 : (a.row?.createdAt.getTime() ?? 0) - (b.row?.createdAt.getTime() ?? 0)))
    .map(({ p, row }) => toPositionView(portfolioId, row, p, p.holding, tags.get(p.holding.id)));
}
