import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CalendarDate, PortfolioId, PositionId } from '../common/branded';
import { LedgerReplayService } from '../ledger/ledger-replay.service';
import type { PositionType } from './position.entity';

export interface BookPosition {
  id: PositionId;
  symbol: string;
  quantity: number;
  entryPrice: number;
  entryDate: CalendarDate;
  positionType: PositionType;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: CalendarDate | null;
  impliedVolatility: number | null;
}

export interface PortfolioBook {
  id: PortfolioId;
  cashBalance: number;
  positions: BookPosition[];
}

/**
 * Whole books for the batch, derived from the ledger (open holdings and cash
 * after replaying up to today): five statements for any number of portfolios.
 */
@Injectable()
export class PortfolioBookReader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly replay: LedgerReplayService,
  ) {}

  async load(ids: PortfolioId[]): Promise<Map<PortfolioId, PortfolioBook>> {
    const books = new Map<PortfolioId, PortfolioBook>();
    if (!ids.length) return books;
    for (const [id, { state, error }] of await this.replay.replayUpTo(ids)) {
      // a ledger that does not replay has no book: the batch reports the portfolio as failed
      if (error) continue;
      books.set(id, {
        id,
        cashBalance: state.cash,
        positions: state.positions().map((p) => ({
          id: p.holding.id,
          symbol: p.holding.symbol,
          quantity: p.quantity,
          entryPrice: p.costPerUnit,
          entryDate: p.openedAt,
          positionType: p.holding.positionType,
          underlyingSymbol: p.holding.underlyingSymbol,
          strikePrice: p.holding.strikePrice,
          expirationDate: p.holding.expirationDate,
          impliedVolatility: p.holding.impliedVolatility,
        })),
      });
    }
    return books;
  }

  /** Distinct symbols whose closes value the given portfolios (underlyings for options): those of holdings with transactions. */
  async priceSymbols(ids: PortfolioId[] | 'all'): Promise<string[]> {
    const rows: Array<{ s: string }> = await sqlRows(this.db, 
      `SELECT DISTINCT coalesce(underlying_symbol, symbol) AS s FROM positions p
       WHERE ($1::boolean OR portfolio_id = ANY($2::uuid[])) AND EXISTS (SELECT 1 FROM transactions t WHERE t.position_id = p.id) ORDER BY 1`,
      [ids === 'all', ids === 'all' ? [] : ids],
    );
    return rows.map((r) => r.s);
  }
}
