import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sqlRows } from '../database/sql';

/** Shown for a symbol the security master does not know (never dropped from a breakdown). */
export const UNCLASSIFIED = 'Unclassified';

export interface SecurityClassification {
  symbol: string;
  name: string | null;
  sector: string;
  industry: string;
  country: string;
  asset_class: string;
}

export interface SecurityMasterRow {
  symbol: string;
  name?: string | null;
  sector?: string | null;
  industry?: string | null;
  country?: string | null;
  asset_class?: string | null;
  /** Where the row came from: 'polygon', 'csv', 'synthetic', 'admin'. */
  source: string;
}

const unclassified = (symbol: string): SecurityClassification => ({
  symbol,
  name: null,
  sector: UNCLASSIFIED,
  industry: UNCLASSIFIED,
  country: UNCLASSIFIED,
  asset_class: UNCLASSIFIED,
});

/** Sector, industry, country and asset class per symbol (DESIGN §9); set-based reads and writes. */
@Injectable()
export class SecurityMasterStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every asked symbol's classification; an unknown symbol, or an unknown field, is `Unclassified`. */
  async classify(symbols: Iterable<string>): Promise<Map<string, SecurityClassification>> {
    const wanted = [...new Set(symbols)];
    const out = new Map(wanted.map((s) => [s, unclassified(s)]));
    if (!wanted.length) return out;
    const rows: Array<{ symbol: string; name: string | null; sector: string | null; industry: string | null; country: string | null; asset_class: string | null }> =
      await sqlRows(this.db, `SELECT symbol, name, sector, industry, country, asset_class FROM security_master WHERE symbol = ANY($1::text[])`, [wanted]);
    for (const r of rows) {
      out.set(r.symbol, {
        symbol: r.symbol,
        name: r.name,
        sector: r.sector || UNCLASSIFIED,
        industry: r.industry || UNCLASSIFIED,
        country: r.country || UNCLASSIFIED,
        asset_class: r.asset_class || UNCLASSIFIED,
      });
    }
    return out;
  }

  /** The stored rows of `symbols` as stored (nulls kept), with their source; unknown symbols absent. */
  async stored(symbols: Iterable<string>): Promise<Array<Required<SecurityMasterRow> & { updated_at: string }>> {
    const wanted = [...new Set(symbols)];
    if (!wanted.length) return [];
    return sqlRows(this.db,
      `SELECT symbol, name, sector, industry, country, asset_class, source, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
       FROM security_master WHERE symbol = ANY($1::text[]) ORDER BY symbol`, [wanted]);
  }

  /** Symbols of `symbols` with no row yet (what a provider still has to classify). */
  async missing(symbols: Iterable<string>): Promise<string[]> {
    const wanted = [...new Set(symbols)];
    if (!wanted.length) return [];
    const rows: Array<{ s: string }> = await sqlRows(
      this.db,
      `SELECT s FROM unnest($1::text[]) AS s WHERE NOT EXISTS (SELECT 1 FROM security_master m WHERE m.symbol = s)`,
      [wanted],
    );
    return rows.map((r) => r.s);
  }

  /** Inserts or replaces rows, one statement. */
  async upsert(rows: SecurityMasterRow[], em: DataSource | EntityManager = this.db): Promise<number> {
    if (!rows.length) return 0;
    const json = JSON.stringify(rows.map((r) => ({ ...r, name: r.name ?? null, sector: r.sector ?? null, industry: r.industry ?? null, country: r.country ?? null, asset_class: r.asset_class ?? null })));
    await sqlRows(
      em,
      `INSERT INTO security_master (symbol, name, sector, industry, country, asset_class, source, updated_at)
       SELECT r.symbol, r.name, r.sector, r.industry, r.country, r.asset_class, r.source, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(symbol text, name text, sector text, industry text, country text, asset_class text, source text)
       ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, sector = EXCLUDED.sector, industry = EXCLUDED.industry,
         country = EXCLUDED.country, asset_class = EXCLUDED.asset_class, source = EXCLUDED.source, updated_at = now()`,
      [json],
    );
    return rows.length;
  }
}
