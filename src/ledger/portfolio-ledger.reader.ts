import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId, PositionId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { PositionType } from '../analytics/calculators/types';
import type { CostBasisMethod, Holding, LedgerTransaction, OptionRight, PortfolioLedger, TransactionId, TransactionType } from './ledger.types';

/** CALL/PUT of an option type, null for a stock. */
export const optionRightOf = (t: PositionType): OptionRight | null => (t === 'LC' || t === 'SC' ? 'CALL' : t === 'LP' || t === 'SP' ? 'PUT' : null);

interface HoldingRow {
  portfolio_id: string;
  id: string;
  symbol: string;
  position_type: PositionType;
  underlying_symbol: string | null;
  strike_price: number | null;
  expiration_date: CalendarDate | null;
  implied_volatility: number | null;
}

export const HOLDING_COLUMNS = `id, symbol, position_type, underlying_symbol, strike_price::float8 AS strike_price,
  to_char(expiration_date, 'YYYY-MM-DD') AS expiration_date, implied_volatility::float8 AS implied_volatility`;

export function toHolding(r: Omit<HoldingRow, 'portfolio_id'>): Holding {
  return {
    id: r.id as PositionId,
    symbol: r.symbol,
    positionType: r.position_type,
    optionType: optionRightOf(r.position_type),
    underlyingSymbol: r.underlying_symbol,
    strikePrice: r.strike_price,
    expirationDate: r.expiration_date,
    impliedVolatility: r.implied_volatility,
  };
}

type TransactionRow = [string, string, TransactionType, CalendarDate, number, string | null, number | null, number | null, number, number | null, number | null, 'user' | 'system'];

function toTransaction(r: TransactionRow): LedgerTransaction {
  return {
    id: r[1] as TransactionId, type: r[2], date: r[3], sequence: r[4], positionId: r[5] as PositionId | null,
    quantity: r[6], price: r[7], fees: r[8], amount: r[9], ratio: r[10], source: r[11],
  };
}

/**
 * Whole ledgers of many portfolios in three statements (portfolios, holdings,
 * transactions), whatever their number or length: the only way the ledger is read.
 */
@Injectable()
export class PortfolioLedgerReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(ids: readonly PortfolioId[], em: EntityManager = this.db.manager): Promise<Map<PortfolioId, PortfolioLedger>> {
    const out = new Map<PortfolioId, PortfolioLedger>();
    if (!ids.length) return out;
    const portfolios: Array<{ id: PortfolioId; method: CostBasisMethod; stale: CalendarDate | null }> = await sqlRows(em,
      `SELECT id, cost_basis_method AS method, to_char(ledger_stale_from, 'YYYY-MM-DD') AS stale FROM portfolios WHERE id = ANY($1::uuid[])`, [ids]);
    const holdings: HoldingRow[] = await sqlRows(em, `SELECT portfolio_id, ${HOLDING_COLUMNS} FROM positions WHERE portfolio_id = ANY($1::uuid[])`, [ids]);
    // rowMode-like arrays keep 300,000 rows cheap to build
    const txs: Array<{ r: TransactionRow }> = await sqlRows(em,
      `SELECT json_build_array(portfolio_id, id, type, to_char(trade_date, 'YYYY-MM-DD'), sequence, position_id, quantity::float8, price::float8,
         fees::float8, amount::float8, ratio::float8, source) AS r
       FROM transactions WHERE portfolio_id = ANY($1::uuid[]) ORDER BY portfolio_id, trade_date, sequence`, [ids]);
    const holdingMaps = new Map<string, Map<PositionId, Holding>>(portfolios.map((p) => [p.id, new Map()]));
    for (const h of holdings) holdingMaps.get(h.portfolio_id)?.set(h.id as PositionId, toHolding(h));
    const txLists = new Map<string, LedgerTransaction[]>(portfolios.map((p) => [p.id, []]));
    for (const { r } of txs) txLists.get(r[0])?.push(toTransaction(r));
    for (const p of portfolios) {
      const transactions = txLists.get(p.id)!;
      out.set(p.id, {
        portfolioId: p.id,
        costBasisMethod: p.method,
        holdings: holdingMaps.get(p.id)!,
        transactions,
        inceptionDate: transactions[0]?.date ?? null,
        staleFrom: p.stale,
      });
    }
    return out;
  }
}
