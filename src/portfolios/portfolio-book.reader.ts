import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CalendarDate, PortfolioId, PositionId } from '../common/branded';
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

/** Set-based reads of whole books for the batch: two statements for any number of portfolios. */
@Injectable()
export class PortfolioBookReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(ids: PortfolioId[]): Promise<Map<PortfolioId, PortfolioBook>> {
    const books = new Map<PortfolioId, PortfolioBook>();
    if (!ids.length) return books;
    const portfolios: Array<{ id: string; cash: number }> = await sqlRows(this.db, 
      `SELECT id, cash_balance::float8 AS cash FROM portfolios WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const p of portfolios) books.set(p.id as PortfolioId, { id: p.id as PortfolioId, cashBalance: p.cash, positions: [] });
    const rows: Array<Record<string, string | number | null>> = await sqlRows(this.db, 
      `SELECT portfolio_id, id, symbol, quantity::float8 AS quantity, entry_price::float8 AS entry_price,
         to_char(entry_date, 'YYYY-MM-DD') AS entry_date, position_type, underlying_symbol, strike_price::float8 AS strike_price,
         to_char(expiration_date, 'YYYY-MM-DD') AS expiration_date, implied_volatility::float8 AS implied_volatility
       FROM positions WHERE portfolio_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) {
      books.get(r.portfolio_id as PortfolioId)?.positions.push({
        id: r.id as PositionId,
        symbol: r.symbol as string,
        quantity: r.quantity as number,
        entryPrice: r.entry_price as number,
        entryDate: r.entry_date as CalendarDate,
        positionType: r.position_type as PositionType,
        underlyingSymbol: r.underlying_symbol as string | null,
        strikePrice: r.strike_price as number | null,
        expirationDate: r.expiration_date as CalendarDate | null,
        impliedVolatility: r.implied_volatility as number | null,
      });
    }
    return books;
  }

  /** Distinct symbols whose closes value the given portfolios (underlyings for options). */
  async priceSymbols(ids: PortfolioId[] | 'all'): Promise<string[]> {
    const rows: Array<{ s: string }> = await sqlRows(this.db, 
      `SELECT DISTINCT coalesce(underlying_symbol, symbol) AS s FROM positions
       WHERE $1::boolean OR portfolio_id = ANY($2::uuid[]) ORDER BY 1`,
      [ids === 'all', ids === 'all' ? [] : ids],
    );
    return rows.map((r) => r.s);
  }
}
