import type { PositionType } from '../analytics/calculators/types';
import { optionRightOf } from './portfolio-ledger.reader';
import type { LotView, RealizedMatchView, TransactionView } from './ledger-responses.dto';
import type { LedgerState } from './ledger.types';
import type { TransactionRecord } from './transaction.store';

export const toTransactionView = (r: TransactionRecord): TransactionView => ({
  id: r.id,
  portfolio_id: r.portfolio_id,
  position_id: r.position_id,
  type: r.type,
  date: r.date,
  symbol: r.symbol,
  quantity: r.quantity,
  price: r.price,
  fees: r.fees,
  amount: r.amount,
  ratio: r.ratio,
  note: r.note,
  source: r.source,
  position_type: r.position_type,
  option_type: r.position_type ? optionRightOf(r.position_type as PositionType) : null,
  underlying_symbol: r.underlying_symbol,
  strike_price: r.strike_price,
  expiration_date: r.expiration_date,
  implied_volatility: r.implied_volatility,
  created_at: r.created_at,
});

/** Open lots; each inherits its holding's tags. */
export function toLotViews(state: LedgerState, tags: ReadonlyMap<string, readonly string[]> = new Map()): LotView[] {
  return state.openLots().map((lot) => {
    const h = state.holdings.get(lot.positionId);
    return {
      position_id: lot.positionId,
      symbol: h?.symbol ?? '',
      position_type: h?.positionType ?? 'LONG',
      quantity: lot.quantity,
      cost_basis: lot.costBasis,
      cost_per_unit: lot.costPerUnit,
      opened_at: lot.openedAt,
      tags: [...(tags.get(lot.positionId) ?? [])],
    };
  });
}

export function toRealizedViews(state: LedgerState, from?: string, to?: string): { total_realized_pnl: number; matches: RealizedMatchView[] } {
  const matches = state
    .realized()
    .filter((m) => (!from || m.closedAt >= from) && (!to || m.closedAt <= to))
    .map((m) => ({
      position_id: m.positionId,
      symbol: state.holdings.get(m.positionId)?.symbol ?? '',
      quantity: m.quantity,
      opened_at: m.openedAt,
      closed_at: m.closedAt,
      cost: m.cost,
      proceeds: m.proceeds,
      realized_pnl: m.realizedPnl,
    }));
  return { total_realized_pnl: matches.reduce((s, m) => s + m.realized_pnl, 0), matches };
}
