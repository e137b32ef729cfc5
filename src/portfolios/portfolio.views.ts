import type { PortfolioEntity } from './portfolio.entity';

/** What the ledger says about a portfolio today: derived cash and open positions. */
export interface PortfolioSummary {
  cash: number;
  positionCount: number;
}

export const toPortfolioView = (p: PortfolioEntity, summary: PortfolioSummary, withCount = true) => ({
  id: p.id,
  name: p.name,
  currency: p.currency,
  cash_balance: summary.cash,
  cost_basis_method: p.costBasisMethod,
  ...(withCount ? { position_count: summary.positionCount } : {}),
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});
