import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId, PositionId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { PositionType } from '../analytics/calculators/types';
import { positionTypeFor } from './engine';
import type { GeneratedTransaction, Holding, TransactionType } from './ledger.types';

/** A user transaction to store (numbers already checked to fit numeric(20,6)). */
export interface NewTransaction {
  readonly positionId: PositionId | null;
  readonly type: TransactionType;
  readonly date: CalendarDate;
  readonly quantity: number | null;
  readonly price: number | null;
  readonly fees: number;
  readonly amount: number | null;
  readonly note: string | null;
}

/** A holding row to create when missing (its id decided by the caller). */
export type NewHolding = Pick<Holding, 'id' | 'symbol' | 'positionType' | 'underlyingSymbol' | 'strikePrice' | 'expirationDate' | 'impliedVolatility'>;

/**
 * Every write to the ledger. Each one is a fixed number of statements for any
 * number of rows, and each user write marks the portfolio's snapshots stale
 * from its date in the same transaction (`markStale`).
 */
@Injectable()
export class LedgerWriter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** ledger_stale_from = least(ledger_stale_from, date): snapshots from `date` on must be recomputed. */
  async markStale(em: EntityManager, portfolioIds: readonly PortfolioId[], date: CalendarDate): Promise<void> {
    if (!portfolioIds.length) return;
    await sqlRows(em, `UPDATE portfolios SET ledger_stale_from = least(coalesce(ledger_stale_from, $2::date), $2::date) WHERE id = ANY($1::uuid[])`,
      [portfolioIds, date]);
  }

  /**
   * Clears the stale marker of portfolios recomputed up to `upTo`: only where
   * it is on or before `upTo` and, when `seen` gives the value read before the
   * recomputation, still that value (a write since then keeps it).
   */
  async clearStale(portfolioIds: readonly PortfolioId[], upTo: CalendarDate, seen?: ReadonlyMap<PortfolioId, CalendarDate | null>): Promise<number> {
    if (!portfolioIds.length) return 0;
    const rows = await sqlRows(this.db.manager,
      `UPDATE portfolios p SET ledger_stale_from = NULL FROM unnest($1::uuid[], $2::date[], $3::boolean[]) AS s(id, seen, known)
       WHERE p.id = s.id AND p.ledger_stale_from <= $4::date AND (NOT s.known OR p.ledger_stale_from = s.seen) RETURNING p.id`,
      [portfolioIds, portfolioIds.map((id) => seen?.get(id) ?? null), portfolioIds.map((id) => seen?.has(id) ?? false), upTo]);
    return rows.length;
  }

  /** Creates the holdings that do not exist yet (by id, or by portfolio, symbol and type). */
  async insertHoldings(em: EntityManager, portfolioId: PortfolioId, holdings: readonly NewHolding[]): Promise<void> {
    if (!holdings.length) return;
    await sqlRows(em,
      `INSERT INTO positions (id, portfolio_id, symbol, position_type, underlying_symbol, strike_price, expiration_date, implied_volatility)
       SELECT h.id, $1::uuid, h.symbol, h.type, h.underlying, h.strike, h.expiration, h.iv
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::date[], $8::numeric[]) AS h(id, symbol, type, underlying, strike, expiration, iv)
       ON CONFLICT DO NOTHING`,
      [portfolioId, holdings.map((h) => h.id), holdings.map((h) => h.symbol), holdings.map((h) => h.positionType), holdings.map((h) => h.underlyingSymbol),
        holdings.map((h) => h.strikePrice), holdings.map((h) => h.expirationDate), holdings.map((h) => h.impliedVolatility)]);
  }

  /** Stores user transactions in the given order (their sequence follows it); returns their ids. */
  async insertTransactions(em: EntityManager, portfolioId: PortfolioId, rows: readonly NewTransaction[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 5000) {
      const s = rows.slice(i, i + 5000);
      const inserted: Array<{ id: string }> = await sqlRows(em,
        `INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price, fees, amount, note, source)
         SELECT $1::uuid, t.pos, t.type, t.d, t.q, t.price, t.fees, t.amount, t.note, 'user'
         FROM unnest($2::uuid[], $3::text[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::text[])
           WITH ORDINALITY AS t(pos, type, d, q, price, fees, amount, note, n)
         ORDER BY t.n RETURNING id`,
        [portfolioId, s.map((r) => r.positionId), s.map((r) => r.type), s.map((r) => r.date), s.map((r) => r.quantity), s.map((r) => r.price),
          s.map((r) => r.fees), s.map((r) => r.amount), s.map((r) => r.note)]);
      ids.push(...inserted.map((r) => r.id));
    }
    return ids;
  }

  /**
   * The batch's system transactions: per portfolio, deletes those dated on or
   * after `from` and stores the generated ones (idempotent by key), first
   * creating the share holdings of exercises and assignments. Three statements.
   */
  async replaceSystemTransactions(
    rows: ReadonlyArray<{ portfolioId: PortfolioId; from: CalendarDate; generated: readonly GeneratedTransaction[] }>,
    em: EntityManager = this.db.manager,
  ): Promise<void> {
    if (!rows.length) return;
    await sqlRows(em,
      `DELETE FROM transactions t USING unnest($1::uuid[], $2::date[]) AS r(pid, f)
       WHERE t.portfolio_id = r.pid AND t.source = 'system' AND t.trade_date >= r.f`,
      [rows.map((r) => r.portfolioId), rows.map((r) => r.from)]);
    const flat = rows.flatMap((r) => r.generated.map((g) => ({ pid: r.portfolioId, g, type: shareLegType(g) })));
    if (!flat.length) return;
    const legs = flat.filter((f) => f.type !== null && f.g.positionId && f.g.symbol);
    if (legs.length) {
      await sqlRows(em,
        `INSERT INTO positions (id, portfolio_id, symbol, position_type) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
        [legs.map((f) => f.g.positionId), legs.map((f) => f.pid), legs.map((f) => f.g.symbol), legs.map((f) => f.type)]);
    }
    // a share holding stored earlier under another id (e.g. from the position routes) takes the leg
    await sqlRows(em,
      `INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price, amount, ratio, note, source, system_key)
       SELECT g.pid, coalesce((SELECT id FROM positions WHERE id = g.pos),
                              (SELECT id FROM positions WHERE portfolio_id = g.pid AND symbol = g.symbol AND position_type = g.ptype)),
         g.type, g.d, abs(g.q), g.price, abs(g.amount), g.ratio, g.note, 'system', g.key
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::date[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::text[], $12::text[])
         WITH ORDINALITY AS g(pid, pos, symbol, ptype, type, d, q, price, amount, ratio, note, key, n)
       ORDER BY g.n
       ON CONFLICT (portfolio_id, system_key) DO NOTHING`,
      [flat.map((f) => f.pid), flat.map((f) => f.g.positionId), flat.map((f) => f.g.symbol), flat.map((f) => f.type), flat.map((f) => f.g.type),
        flat.map((f) => f.g.date), flat.map((f) => f.g.quantity), flat.map((f) => f.g.price), flat.map((f) => f.g.amount), flat.map((f) => f.g.ratio),
        flat.map((f) => f.g.note), flat.map((f) => f.g.key)]);
  }
}

/** LONG/SHORT for the share leg of an exercise or assignment (a trade with a symbol), else null. */
function shareLegType(g: GeneratedTransaction): PositionType | null {
  if (!g.symbol || !['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER'].includes(g.type)) return null;
  return positionTypeFor(g.type, null);
}
