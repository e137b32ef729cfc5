import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CalendarDate, PortfolioId, PositionId } from '../common/branded';
import { sqlRows } from '../database/sql';
import { HOLDING_COLUMNS, toHolding } from '../ledger/portfolio-ledger.reader';
import type { CostBasisMethod, Holding, LedgerTransaction, PortfolioLedger } from '../ledger/ledger.types';

type HoldingRow = Parameters<typeof toHolding>[0] & { portfolio_id: PortfolioId };
type TxRow = Omit<LedgerTransaction, 'positionId'> & { portfolio_id: PortfolioId; position_id: PositionId | null };

/**
 * For runs that resume from a stored snapshot (ledger-checkpoint.ts): each
 * portfolio's holdings and only its transactions after a given date, in
 * three statements; a nightly run reads a few rows per portfolio instead of
 * its whole history. The transactions come from one index range probe per
 * portfolio (the LATERAL with OFFSET 0 keeps the planner from flattening it
 * into a hash join over a scan of the whole table, which it picks because it
 * cannot tell how few rows lie after each date). `inceptionDate` is the first transaction read (null
 * when none): the caller has planned the dates already.
 */
@Injectable()
export class LedgerTailReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(since: ReadonlyMap<PortfolioId, CalendarDate>): Promise<Map<PortfolioId, PortfolioLedger>> {
    const out = new Map<PortfolioId, PortfolioLedger>();
    const ids = [...since.keys()];
    if (!ids.length) return out;
    const [portfolios, holdings, txs]: [Array<{ id: PortfolioId; method: CostBasisMethod; stale: CalendarDate | null }>, HoldingRow[], TxRow[]] = await Promise.all([
      sqlRows(this.db,
        `SELECT id, cost_basis_method AS method, to_char(ledger_stale_from, 'YYYY-MM-DD') AS stale FROM portfolios WHERE id = ANY($1::uuid[])`, [ids]),
      sqlRows(this.db, `SELECT portfolio_id, ${HOLDING_COLUMNS} FROM positions WHERE portfolio_id = ANY($1::uuid[])`, [ids]),
      sqlRows(this.db,
        `SELECT t.portfolio_id, t.id, t.type, to_char(t.trade_date, 'YYYY-MM-DD') AS date, t.sequence::float8 AS sequence, t.position_id,
           t.quantity::float8 AS quantity, t.price::float8 AS price, t.fees::float8 AS fees, t.amount::float8 AS amount, t.ratio::float8 AS ratio, t.source
         FROM unnest($1::uuid[], $2::date[]) AS s(pid, since)
         CROSS JOIN LATERAL (SELECT * FROM transactions x WHERE x.portfolio_id = s.pid AND x.trade_date > s.since OFFSET 0) t
         ORDER BY t.portfolio_id, t.trade_date, t.sequence`, [ids, ids.map((id) => since.get(id))]),
    ]);
    const holdingMaps = new Map<PortfolioId, Map<PositionId, Holding>>(portfolios.map((p) => [p.id, new Map()]));
    for (const h of holdings) holdingMaps.get(h.portfolio_id)?.set(h.id as PositionId, toHolding(h));
    const lists = new Map<PortfolioId, LedgerTransaction[]>(portfolios.map((p) => [p.id, []]));
    for (const { portfolio_id, position_id, ...t } of txs) lists.get(portfolio_id)?.push({ ...t, positionId: position_id });
    for (const p of portfolios) {
      const transactions = lists.get(p.id)!;
      out.set(p.id, { portfolioId: p.id, costBasisMethod: p.method, holdings: holdingMaps.get(p.id)!, transactions, inceptionDate: transactions[0]?.date ?? null, staleFrom: p.stale });
    }
    return out;
  }

  /** Of the (portfolio, holding, ex-date, up to) given, the portfolios where that holding has a user transaction dated in [ex-date, up to]. */
  async tradedBetween(rows: ReadonlyArray<{ portfolioId: PortfolioId; positionId: PositionId; from: CalendarDate; to: CalendarDate }>): Promise<Set<PortfolioId>> {
    if (!rows.length) return new Set();
    const hits: Array<{ pid: PortfolioId }> = await sqlRows(this.db,
      `SELECT DISTINCT c.pid FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::date[]) AS c(pid, pos, f, t)
       WHERE EXISTS (SELECT 1 FROM transactions x WHERE x.portfolio_id = c.pid AND x.position_id = c.pos AND x.source = 'user'
         AND x.trade_date BETWEEN c.f AND c.t)`,
      [rows.map((r) => r.portfolioId), rows.map((r) => r.positionId), rows.map((r) => r.from), rows.map((r) => r.to)]);
    return new Set(hits.map((h) => h.pid));
  }
}
