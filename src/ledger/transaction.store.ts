import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { NewTransaction } from './ledger.writer';

/** A stored transaction as the routes show it (joined with its holding's terms). */
export interface TransactionRecord {
  id: string;
  portfolio_id: string;
  position_id: string | null;
  type: string;
  date: CalendarDate;
  symbol: string | null;
  quantity: number | null;
  price: number | null;
  fees: number;
  amount: number | null;
  ratio: number | null;
  note: string | null;
  source: 'user' | 'system';
  position_type: string | null;
  underlying_symbol: string | null;
  strike_price: number | null;
  expiration_date: CalendarDate | null;
  implied_volatility: number | null;
  created_at: string;
}

export interface TransactionFilter {
  from?: string;
  to?: string;
  symbol?: string;
  type?: string;
  limit: number;
  offset: number;
}

const SELECT = `SELECT t.id, t.portfolio_id, t.position_id, t.type, to_char(t.trade_date, 'YYYY-MM-DD') AS date, h.symbol,
    t.quantity::float8 AS quantity, t.price::float8 AS price, t.fees::float8 AS fees, t.amount::float8 AS amount, t.ratio::float8 AS ratio,
    t.note, t.source, h.position_type, h.underlying_symbol, h.strike_price::float8 AS strike_price,
    to_char(h.expiration_date, 'YYYY-MM-DD') AS expiration_date, h.implied_volatility::float8 AS implied_volatility,
    to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
  FROM transactions t LEFT JOIN positions h ON h.id = t.position_id`;

/** Reads and edits of single transactions for the routes (the batch reads through PortfolioLedgerReader). */
@Injectable()
export class TransactionStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(portfolioId: PortfolioId, f: TransactionFilter): Promise<{ total: number; transactions: TransactionRecord[] }> {
    const where = `t.portfolio_id = $1 AND ($2::date IS NULL OR t.trade_date >= $2) AND ($3::date IS NULL OR t.trade_date <= $3)
      AND ($4::text IS NULL OR h.symbol = $4) AND ($5::text IS NULL OR t.type = $5)`;
    const params = [portfolioId, f.from ?? null, f.to ?? null, f.symbol?.toUpperCase() ?? null, f.type?.toUpperCase() ?? null];
    const [{ n }] = await sqlRows(this.db, `SELECT count(*)::int AS n FROM transactions t LEFT JOIN positions h ON h.id = t.position_id WHERE ${where}`, params);
    const rows: TransactionRecord[] = await sqlRows(this.db, `${SELECT} WHERE ${where} ORDER BY t.trade_date, t.sequence LIMIT $6 OFFSET $7`,
      [...params, f.limit, f.offset]);
    return { total: n, transactions: rows };
  }

  async find(portfolioId: PortfolioId, id: string, em: EntityManager = this.db.manager): Promise<TransactionRecord | null> {
    const rows: TransactionRecord[] = await sqlRows(em, `${SELECT} WHERE t.portfolio_id = $1 AND t.id = $2`, [portfolioId, id]);
    return rows[0] ?? null;
  }

  async findMany(ids: readonly string[], em: EntityManager = this.db.manager): Promise<TransactionRecord[]> {
    if (!ids.length) return [];
    return sqlRows(em, `${SELECT} WHERE t.id = ANY($1::uuid[]) ORDER BY t.trade_date, t.sequence`, [ids]);
  }

  async update(em: EntityManager, id: string, t: NewTransaction): Promise<void> {
    await sqlRows(em,
      `UPDATE transactions SET position_id = $2, type = $3, trade_date = $4, quantity = $5, price = $6, fees = $7, amount = $8, note = $9, updated_at = now()
       WHERE id = $1`,
      [id, t.positionId, t.type, t.date, t.quantity, t.price, t.fees, t.amount, t.note]);
  }

  async remove(em: EntityManager, id: string): Promise<void> {
    await sqlRows(em, `DELETE FROM transactions WHERE id = $1`, [id]);
  }
}
