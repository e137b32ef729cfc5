import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const NUM = { type: 'number' } as const;
const PCT = { type: 'number', nullable: true, description: 'Percent of total value (12.5 = 12.5%); null when the total value is not positive' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const record = <E extends object = object>(properties: Record<string, object>, extra?: E) => ({ type: 'object' as const, properties, required: Object.keys(properties), ...(extra as E) });

const AMOUNTS = {
  long: { ...NUM, minimum: 0 },
  short: { ...NUM, maximum: 0, description: 'Signed (≤ 0)' },
  gross: { ...NUM, minimum: 0, description: 'long − short' },
  net: { ...NUM, description: 'long + short' },
  long_pct: PCT,
  short_pct: PCT,
  gross_pct: PCT,
  net_pct: PCT,
  positions: COUNT,
};
const BUCKET = record({ key: { type: 'string' }, ...AMOUNTS });
const SECTOR_BUCKET = record({
  key: { type: 'string' },
  ...AMOUNTS,
  benchmark_weight_pct: { ...NUM, nullable: true, description: "The benchmark's weight of the sector; null for a non-GICS bucket (Diversified, Government, Unclassified)" },
  active_weight_pct: { ...NUM, nullable: true, description: 'net_pct − benchmark_weight_pct' },
});

/** The `exposures` section of the risk record (src/analytics/exposures/exposure-types.ts). */
export const EXPOSURES_SCHEMA = record(
  {
    option_exposure_basis: { enum: ['delta_adjusted'], description: 'Options count at delta × underlying close (× quantity × 100); stocks at market value' },
    total_value: NUM,
    totals: record(AMOUNTS),
    benchmark: record({ name: { type: 'string' }, version: { type: 'integer' }, as_of: { type: 'string', format: 'date' }, source: { type: 'string' } }),
    by_sector: { type: 'array', items: SECTOR_BUCKET, description: 'Every GICS sector (with the benchmark weight), then any other bucket held; a symbol the security master does not know is `Unclassified`' },
    by_industry: { type: 'array', items: BUCKET },
    by_country: { type: 'array', items: BUCKET },
    by_asset_class: { type: 'array', items: BUCKET },
    by_tag: { type: 'array', items: BUCKET, description: 'A position counts in each of its tags' },
    untagged: record(AMOUNTS),
    unpriced: { type: 'array', items: record({ position_id: { type: 'string' }, symbol: { type: 'string' }, reason: { type: 'string' } }), description: 'Left out: exposure unknown (never counted as zero)' },
  },
  { description: 'Long, short, gross and net exposure by sector, industry, country, asset class and tag' },
);

export class ExposuresResponse {
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The calculation date shown; null when nothing is calculated yet' })
  as_of: string | null;

  @ApiProperty({ ...EXPOSURES_SCHEMA, nullable: true, selfRequired: true } as never)
  exposures: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: 'string', description: 'Why exposures is null' })
  reason?: string;
}
