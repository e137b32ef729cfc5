import type { PortfolioEntity } from './portfolio.entity';
import { isOptionType, PositionEntity } from './position.entity';
import { MULTIPLIER_OPTION } from './position-rules';

export const toPortfolioView = (p: PortfolioEntity, positionCount?: number) => ({
  id: p.id,
  name: p.name,
  currency: p.currency,
  cash_balance: p.cashBalance,
  ...(positionCount === undefined ? {} : { position_count: positionCount }),
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

export const toPositionView = (p: PositionEntity) => ({
  id: p.id,
  portfolio_id: p.portfolioId,
  symbol: p.symbol,
  quantity: p.quantity,
  entry_price: p.entryPrice,
  entry_date: p.entryDate,
  position_type: p.positionType,
  underlying_symbol: p.underlyingSymbol,
  strike_price: p.strikePrice,
  expiration_date: p.expirationDate,
  implied_volatility: p.impliedVolatility,
  multiplier: isOptionType(p.positionType) ? MULTIPLIER_OPTION : 1,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});
