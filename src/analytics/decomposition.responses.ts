import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const DATE = { type: 'string', format: 'date', example: '2025-06-02' } as const;
const NUM = { type: 'number' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const nullable = <T extends object>(s: T) => ({ ...s, nullable: true });
const record = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object' as const, properties, required: Object.keys(properties), ...extra,
});

const CONTRIBUTION = {
  contribution_amount: { ...NUM, description: 'Currency' },
  contribution_pct: { ...NUM, description: 'Percent of the return denominator (2.1 = 2.1%)' },
  share: { ...NUM, nullable: true, description: 'Fraction of the portfolio figure; null when that is 0' },
};
const POSITION_CONTRIBUTION = record({
  contribution_amount: CONTRIBUTION.contribution_amount,
  share: CONTRIBUTION.share,
  marginal: {
    ...NUM, nullable: true,
    description: '∂(figure in return units)/∂(weight): contribution_amount / return_denominator = weight × marginal. Null without exposure',
  },
});
const GROUP = record({
  name: { type: 'string', description: 'Sector (Unclassified when the security master has none) or tag (Untagged)' },
  positions: COUNT,
  exposure: NUM,
  volatility: record(CONTRIBUTION),
  var_95: record(CONTRIBUTION),
  var_99: record(CONTRIBUTION),
});
const TOTAL = record({ amount: NUM, pct: NUM });
const VAR_TOTAL = record({
  amount: { ...NUM, description: 'Historical 1-day VaR, a positive loss, as in var.var_XX_amount' },
  pct: NUM,
  scenarios: {
    type: 'array',
    description: 'The day(s) whose interpolated P&L is the VaR quantile and their weights (sum 1)',
    items: record({ date: DATE, weight: NUM }),
  },
});

/** calculators/decomposition-types.ts DecompositionRecord. */
export const DECOMPOSITION_SCHEMA = record(
  {
    window_days: COUNT,
    observations: COUNT,
    return_denominator: NUM,
    volatility_1d: { ...TOTAL, description: 'Sample std of the daily holdings P&L (not annualised)' },
    var_95: VAR_TOTAL,
    var_99: VAR_TOTAL,
    positions: {
      type: 'array',
      items: record({
        position_id: { type: 'string', format: 'uuid' },
        symbol: { type: 'string' },
        price_symbol: { type: 'string' },
        sector: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        exposure: { ...NUM, description: 'Dollar exposure to the price symbol (delta-adjusted for options)' },
        weight: { ...NUM, description: 'exposure / return denominator' },
        volatility: POSITION_CONTRIBUTION,
        var_95: POSITION_CONTRIBUTION,
        var_99: POSITION_CONTRIBUTION,
      }),
    },
    by_sector: { type: 'array', items: GROUP, description: 'Sums to the totals' },
    by_tag: { type: 'array', items: GROUP, description: 'A position with k tags adds 1/k to each: sums to the totals' },
    tag_allocation: { enum: ['even_split'] },
    factor_attribution: nullable(record({
      window_days: COUNT,
      observations: COUNT,
      total_variance: NUM,
      systematic_variance: NUM,
      idiosyncratic_variance: NUM,
      systematic_share: NUM,
      idiosyncratic_share: NUM,
      factor_shares: { type: 'object', additionalProperties: NUM, description: 'Factor → its part of the systematic share' },
    })),
  },
  { description: 'Euler contributions to 1-day volatility and historical VaR 95/99 (DESIGN §9)' },
);

export class DecompositionResponse {
  @ApiProperty({ ...DATE, nullable: true, description: 'The risk record\'s date; null when nothing is calculated yet' })
  as_of: string | null;

  @ApiProperty({ ...nullable(DECOMPOSITION_SCHEMA), selfRequired: true } as never)
  decomposition: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: 'string', description: 'Why decomposition is null' })
  reason?: string;
}
