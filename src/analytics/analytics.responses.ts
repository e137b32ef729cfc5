import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXPOSURES_SCHEMA } from './exposures/exposures.responses';
import { DECOMPOSITION_SCHEMA } from './decomposition.responses';

const DATE = { type: 'string', format: 'date', example: '2025-06-02' } as const;
const NUM = { type: 'number' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const nullable = <T extends object>(s: T) => ({ ...s, nullable: true });

/** An object schema whose listed fields are all required. */
const record = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object' as const,
  properties,
  required: Object.keys(properties),
  ...extra,
});

/** The schema with `fields` no longer required: sections added later are absent from records stored before them. */
function optionalFields<T extends { required: string[] }>(fields: string[], schema: T): T {
  return { ...schema, required: schema.required.filter((k) => !fields.includes(k)) };
}

/** One portfolio's snapshot of a day (DESIGN §6); `short_value` is signed (≤ 0). */
export class SnapshotResponse {
  @ApiProperty(DATE)
  snapshot_date: string;

  @ApiProperty({ ...NUM, description: 'Positions at market + cash' })
  total_value: number;

  @ApiProperty(NUM)
  cash_balance: number;

  @ApiProperty({ ...NUM, minimum: 0 })
  long_value: number;

  @ApiProperty({ ...NUM, maximum: 0, description: 'Signed: ≤ 0' })
  short_value: number;

  @ApiProperty({ ...NUM, minimum: 0 })
  gross_exposure: number;

  @ApiProperty(NUM)
  net_exposure: number;

  @ApiProperty(nullable(NUM))
  daily_pnl: number | null;

  @ApiProperty(nullable(NUM))
  daily_return: number | null;

  @ApiProperty(nullable(NUM))
  cumulative_pnl: number | null;

  @ApiProperty(COUNT)
  position_count: number;

  @ApiProperty({ ...NUM, description: 'External flows of the day: deposits − withdrawals + transfers at market value' })
  net_flows: number;

  @ApiProperty({ ...NUM, description: 'Realized P&L of the day' })
  realized_pnl: number;

  @ApiProperty({ ...NUM, description: 'Dividends (shorts pay: negative) and interest of the day' })
  income: number;

  @ApiProperty({ ...NUM, minimum: 0, description: 'Trade fees and FEE transactions of the day' })
  fees: number;

  @ApiProperty(NUM)
  cumulative_realized_pnl: number;

  @ApiProperty({ ...NUM, nullable: true, description: 'Σ (market value − cost basis) of the open positions' })
  unrealized_pnl: number | null;

  @ApiProperty({ type: 'boolean', description: 'A transaction on or before this date changed since it was calculated; the next run recomputes it' })
  stale: boolean;
}

/** A snapshot in the list of `GET /portfolio/{id}/snapshots`. */
export class SnapshotListItemResponse extends SnapshotResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;
}

export class PositionValuationResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  position_id: string;

  @ApiProperty({ type: 'string' })
  symbol: string;

  @ApiProperty({ type: 'string', description: 'The symbol whose close was used (the underlying for options)' })
  price_symbol: string;

  @ApiProperty(NUM)
  price: number;

  @ApiProperty({ ...NUM, nullable: true, description: 'Black–Scholes value per share, options only' })
  option_price: number | null;

  @ApiProperty({ ...NUM, description: 'Signed: negative for shorts' })
  market_value: number;

  @ApiProperty(NUM)
  unrealized_pnl: number;

  @ApiProperty(nullable(NUM))
  daily_pnl: number | null;

  @ApiPropertyOptional({ enum: ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'] })
  position_type?: string;

  @ApiPropertyOptional({ ...NUM, description: 'Signed: negative for shorts' })
  quantity?: number;

  @ApiPropertyOptional({ ...NUM, description: 'Cost per unit of the open lots' })
  entry_price?: number;

  @ApiPropertyOptional({ ...DATE, description: 'Earliest open lot' })
  entry_date?: string;

  @ApiPropertyOptional({ ...NUM, description: 'Σ open lots, signed like the quantity' })
  cost_basis?: number;

  @ApiPropertyOptional({ type: 'string', nullable: true })
  underlying_symbol?: string | null;

  @ApiPropertyOptional(nullable(NUM))
  strike_price?: number | null;

  @ApiPropertyOptional(nullable(DATE))
  expiration_date?: string | null;

  @ApiPropertyOptional(nullable(NUM))
  implied_volatility?: number | null;

  @ApiPropertyOptional({
    type: 'array',
    description: 'Legacy: only in snapshots booked before the ledger checkpoints (open lots: GET /portfolio/{id}/lots)',
    items: record({ quantity: NUM, cost_per_unit: NUM, opened_at: DATE }),
  } as never)
  lots?: Array<{ quantity: number; cost_per_unit: number; opened_at: string }>;
}

export class SnapshotWithPositionsResponse extends SnapshotResponse {
  @ApiProperty({ type: [PositionValuationResponse] })
  positions: PositionValuationResponse[];
}

const WINDOW = { window_days: COUNT, observations: COUNT };

/**
 * The stored risk record (calculators/risk-types.ts RiskRecord). Its main
 * sections are typed; the record itself stays open (new sections may appear),
 * as do the maps keyed by factor or metric path.
 */
export const RISK_RECORD_SCHEMA = optionalFields(['exposures'], record(
  {
    version: { type: 'integer', minimum: 1 },
    calculation_date: DATE,
    price_date: nullable(DATE),
    total_value: NUM,
    gross_exposure: NUM,
    holdings_observations: COUNT,
    volatility: record({ vol_21d: nullable(NUM), vol_63d: nullable(NUM), vol_252d: nullable(NUM) }),
    beta: nullable(record({ beta: NUM, alpha: NUM, r_squared: NUM, ...WINDOW })),
    position_betas: {
      type: 'array',
      items: record(
        { position_id: { type: 'string', format: 'uuid' }, symbol: { type: 'string' }, price_symbol: { type: 'string' } },
        { additionalProperties: true, description: 'beta, alpha, r_squared, observations (null with a reason)' },
      ),
    },
    factor_exposures: nullable(
      record(
        {
          ...WINDOW,
          r_squared: NUM,
          alpha: NUM,
          factors: { type: 'object', additionalProperties: record({ beta: NUM, dollar_exposure: NUM }) },
        },
      ),
    ),
    rates_exposure: nullable(record({ proxy: { enum: ['TLT'] }, beta: NUM, dollar_exposure: NUM, ...WINDOW })),
    var: nullable(
      record({
        ...WINDOW,
        var_95_pct: NUM, var_99_pct: NUM, cvar_95_pct: NUM, cvar_99_pct: NUM,
        var_95_amount: NUM, var_99_amount: NUM, cvar_95_amount: NUM, cvar_99_amount: NUM,
      }),
    ),
    performance: record({ observations: COUNT, risk_free_rate: NUM, max_drawdown: nullable({ ...NUM, maximum: 0 }), sharpe: nullable(NUM), sortino: nullable(NUM) }),
    correlation: record({
      window_days: COUNT,
      min_overlap: COUNT,
      position_ids: { type: 'array', items: { type: 'string', format: 'uuid' } },
      symbols: { type: 'array', items: { type: 'string' } },
      matrix: { type: 'array', items: { type: 'array', items: nullable(NUM) } },
    }),
    concentration: nullable(record({ hhi: NUM, effective_positions: NUM, largest_weight: NUM, top_3_weight: NUM, top_10_weight: NUM })),
    greeks: nullable(record({ delta: NUM, dollar_delta: NUM, gamma: NUM, theta: NUM, vega: NUM, rho: NUM, option_positions: COUNT })),
    stress_tests: record(
      {
        scenario_set_version: { type: 'integer' },
        market_exposure_source: { enum: ['factor_model', 'beta', null], nullable: true },
        results: {
          type: 'array',
          items: optionalFields(['kind', 'source', 'window'], record({
            id: { type: 'string' },
            name: { type: 'string' },
            kind: { enum: ['historical', 'hypothetical'], description: 'historical: the factor moves of a past window (see source and window); kind, source and window are absent in records calculated before scenario set version 2' },
            source: { type: 'string', nullable: true, description: "A historical scenario's source; null for a hypothetical one" },
            window: nullable(record({ from: DATE, to: DATE })),
            pnl: nullable(NUM), pnl_pct: nullable(NUM), capped: { type: 'boolean' }, reason: { type: 'string', nullable: true },
          })),
        },
      },
    ),
    exposures: { ...EXPOSURES_SCHEMA, description: `${EXPOSURES_SCHEMA.description}; absent in records calculated before it existed` },
    missing_prices: { type: 'array', items: record({ symbol: { type: 'string' }, date: DATE }) },
    reasons: { type: 'object', additionalProperties: { type: 'string' }, description: 'Metric path → why it is null' },
  },
  { additionalProperties: true, nullable: true, description: 'Null until calculated' },
));
// optional: records stored before the decomposition existed lack it
(RISK_RECORD_SCHEMA.properties as Record<string, object>).decomposition = { ...DECOMPOSITION_SCHEMA, nullable: true };

export class AnalyticsResponse {
  @ApiProperty({ ...DATE, nullable: true, description: 'The date shown; null when nothing is calculated yet' })
  as_of: string | null;

  @ApiProperty({ type: 'boolean', description: 'The snapshot shown is stale (see snapshot.stale)' })
  stale: boolean;

  @ApiProperty({ type: SnapshotWithPositionsResponse, nullable: true })
  snapshot: SnapshotWithPositionsResponse | null;

  @ApiProperty({ ...RISK_RECORD_SCHEMA, selfRequired: true } as never)
  risk: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: 'string', description: 'Why there is nothing yet' })
  reason?: string;
}
