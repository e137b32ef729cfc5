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

const EPOCH = '2000-01-01';
const epochMs = Date.parse(`${EPOCH}T00:00:00Z`);

/** Day offsets from EPOCH back to ISO dates, each converted once. */
class DateDecoder {
  private readonly cache = new Map<string, CalendarDate>();
  date(offset: string): CalendarDate {
    let d = this.cache.get(offset);
    if (d === undefined) this.cache.set(offset, (d = new Date(epochMs + Number(offset) * 86_400_000).toISOString().slice(0, 10) as CalendarDate));
    return d;
  }
}

const num = (s: string): number | null => (s === '' ? null : Number(s));

/**
 * One portfolio's transactions packed by the database as
 * `id,type,day,sequence,position,quantity,price,fees,amount,ratio,source;...`
 * one row per portfolio keeps 300,000 transactions cheap to read.
 */
function unpackTransactions(packed: string | null, dates: DateDecoder): LedgerTransaction[] {
  if (!packed) return [];
  const list = packed.split(';').map((entry): LedgerTransaction => {
    const f = entry.split(',');
    return {
      id: f[0] as TransactionId, type: f[1] as TransactionType, date: dates.date(f[2]), sequence: Number(f[3]), positionId: (f[4] || null) as PositionId | null,
      quantity: num(f[5]), price: num(f[6]), fees: Number(f[7]), amount: num(f[8]), ratio: num(f[9]), source: f[10] === 's' ? 'system' : 'user',
    };
  });
  // sorted here rather than in the aggregate: PostgreSQL 15 would sort every group
  return list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
}

/**
 * Whole ledgers of many portfolios in three statements (portfolios, holdings,
 * transactions packed per portfolio), whatever their number or length.
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
    const packed: Array<{ portfolio_id: string; txs: string | null }> = await sqlRows(em,
      `SELECT portfolio_id, string_agg(concat(id, ',', type, ',', trade_date - DATE '${EPOCH}', ',', sequence, ',', position_id, ',', quantity, ',', price, ',',
           fees, ',', amount, ',', ratio, ',', CASE WHEN source = 'system' THEN 's' ELSE 'u' END), ';') AS txs
       FROM transactions WHERE portfolio_id = ANY($1::uuid[]) GROUP BY portfolio_id`, [ids]);
    const holdingMaps = new Map<string, Map<PositionId, Holding>>(portfolios.map((p) => [p.id, new Map()]));
    for (const h of holdings) holdingMaps.get(h.portfolio_id)?.set(h.id as PositionId, toHolding(h));
    const dates = new DateDecoder();
    const txLists = new Map<string, LedgerTransaction[]>(packed.map((r) => [r.portfolio_id, unpackTransactions(r.txs, dates)]));
    for (const p of portfolios) {
      const transactions = txLists.get(p.id) ?? [];
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
