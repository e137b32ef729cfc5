import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RISK_RECORD_SCHEMA, SnapshotWithPositionsResponse } from '../analytics/analytics.responses';
import { PerformanceView } from '../analytics/performance/performance.dto';

/** GET /portfolio/aggregate: several portfolios as one book. */
export class AggregateResponse {
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The latest date every calculated portfolio has a snapshot for; null when none is calculated' })
  as_of: string | null;

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'The portfolios aggregated (deduplicated)' })
  portfolio_ids: string[];

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Of those, the ones without any snapshot yet: left out' })
  not_calculated: string[];

  @ApiProperty({ type: 'boolean', description: 'Some portfolio\'s snapshot of as_of is stale' })
  stale: boolean;

  @ApiProperty({ type: SnapshotWithPositionsResponse, nullable: true, description: 'The summed snapshot; positions merged per instrument' })
  snapshot: SnapshotWithPositionsResponse | null;

  @ApiProperty({ ...RISK_RECORD_SCHEMA, selfRequired: true } as never)
  risk: Record<string, unknown> | null;

  @ApiProperty({ type: PerformanceView, nullable: true, description: 'Inception to as_of against SPY, on the summed history' })
  performance: PerformanceView | null;

  @ApiPropertyOptional({ type: 'string', description: 'Why there is nothing yet' })
  reason?: string;
}
