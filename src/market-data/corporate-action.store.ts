import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { CorporateAction } from '../ledger/ledger.types';

export interface StoredCorporateAction extends CorporateAction {
  readonly source: string;
}

/** The ex-date range over which a symbol's actions were fetched from a provider. */
export interface ActionCoverage {
  readonly symbol: string;
  readonly from: CalendarDate;
  readonly to: CalendarDate;
}

/** Splits and cash dividends keyed by (symbol, type, ex-date); every read and write is one statement for many symbols. */
@Injectable()
export class CorporateActionStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Insert or replace actions, 5,000 rows per statement. */
  async upsert(actions: readonly StoredCorporateAction[], em: EntityManager = this.db.manager): Promise<number> {
    for (let i = 0; i < actions.length; i += 5000) {
      const s = actions.slice(i, i + 5000);
      await sqlRows(em,
        `INSERT INTO corporate_actions (symbol, action_type, ex_date, pay_date, ratio, amount, source)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::float8[], $6::float8[], $7::text[])
         ON CONFLICT (symbol, action_type, ex_date) DO UPDATE SET pay_date = EXCLUDED.pay_date, ratio = EXCLUDED.ratio,
           amount = EXCLUDED.amount, source = EXCLUDED.source, updated_at = now()`,
        [s.map((a) => a.symbol), s.map((a) => a.type), s.map((a) => a.exDate), s.map((a) => a.payDate), s.map((a) => a.ratio),
          s.map((a) => a.amount), s.map((a) => a.source)],
      );
    }
    return actions.length;
  }

  /** Each symbol's actions with ex-date on or before `upTo` (all when null), ascending by ex-date. */
  async forSymbols(symbols: readonly string[], upTo: CalendarDate | null = null, em: EntityManager = this.db.manager): Promise<Map<string, CorporateAction[]>> {
    const out = new Map<string, CorporateAction[]>();
    if (!symbols.length) return out;
    const rows: Array<{ symbol: string; action_type: 'SPLIT' | 'CASH_DIVIDEND'; ex_date: CalendarDate; pay_date: CalendarDate | null; ratio: number | null; amount: number | null }> =
      await sqlRows(em,
        `SELECT symbol, action_type, to_char(ex_date, 'YYYY-MM-DD') AS ex_date, to_char(pay_date, 'YYYY-MM-DD') AS pay_date,
           ratio::float8 AS ratio, amount::float8 AS amount
         FROM corporate_actions WHERE symbol = ANY($1) AND ($2::date IS NULL OR ex_date <= $2) ORDER BY symbol, ex_date, action_type`,
        [symbols, upTo],
      );
    for (const r of rows) {
      let list = out.get(r.symbol);
      if (!list) out.set(r.symbol, (list = []));
      list.push({ symbol: r.symbol, type: r.action_type, exDate: r.ex_date, payDate: r.pay_date, ratio: r.ratio, amount: r.amount });
    }
    return out;
  }

  /** Stored coverage of the given symbols (absent: never fetched). */
  async coverage(symbols: readonly string[]): Promise<Map<string, ActionCoverage>> {
    const out = new Map<string, ActionCoverage>();
    if (!symbols.length) return out;
    const rows: Array<{ symbol: string; covered_from: CalendarDate; covered_to: CalendarDate }> = await sqlRows(this.db,
      `SELECT symbol, to_char(covered_from, 'YYYY-MM-DD') AS covered_from, to_char(covered_to, 'YYYY-MM-DD') AS covered_to
       FROM corporate_action_coverage WHERE symbol = ANY($1)`,
      [symbols],
    );
    for (const r of rows) out.set(r.symbol, { symbol: r.symbol, from: r.covered_from, to: r.covered_to });
    return out;
  }

  /** Fetched actions and the coverage they complete, in one transaction (coverage rows replace the old ones). */
  async storeFetched(actions: readonly StoredCorporateAction[], coverage: readonly ActionCoverage[], source: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.upsert(actions, em);
      if (!coverage.length) return;
      await sqlRows(em,
        `INSERT INTO corporate_action_coverage (symbol, covered_from, covered_to, source)
         SELECT symbol, f, t, $4 FROM unnest($1::text[], $2::date[], $3::date[]) AS c(symbol, f, t)
         ON CONFLICT (symbol) DO UPDATE SET covered_from = EXCLUDED.covered_from, covered_to = EXCLUDED.covered_to,
           source = EXCLUDED.source, updated_at = now()`,
        [coverage.map((c) => c.symbol), coverage.map((c) => c.from), coverage.map((c) => c.to), source],
      );
    });
  }

  /** Stored actions for the admin listing: one symbol or all, with their source, ascending by symbol and ex-date. */
  async list(symbol: string | null, limit: number): Promise<StoredCorporateAction[]> {
    const rows: Array<{ symbol: string; action_type: 'SPLIT' | 'CASH_DIVIDEND'; ex_date: CalendarDate; pay_date: CalendarDate | null; ratio: number | null; amount: number | null; source: string }> =
      await sqlRows(this.db,
        `SELECT symbol, action_type, to_char(ex_date, 'YYYY-MM-DD') AS ex_date, to_char(pay_date, 'YYYY-MM-DD') AS pay_date,
           ratio::float8 AS ratio, amount::float8 AS amount, source
         FROM corporate_actions WHERE ($1::text IS NULL OR symbol = $1) ORDER BY symbol, ex_date, action_type LIMIT $2`,
        [symbol, limit],
      );
    return rows.map((r) => ({ symbol: r.symbol, type: r.action_type, exDate: r.ex_date, payDate: r.pay_date, ratio: r.ratio, amount: r.amount, source: r.source }));
  }
}
