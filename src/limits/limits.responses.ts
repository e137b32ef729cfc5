import { ApiProperty } from '@nestjs/swagger';
import { LIMIT_DEFINITIONS, LIMIT_FIELDS } from './limit-rules';

const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
const DATE = { type: 'string', format: 'date' } as const;
const LIMIT = (field: keyof typeof LIMIT_DEFINITIONS) => ApiProperty({ type: 'number', nullable: true, description: LIMIT_DEFINITIONS[field].unit });

export class LimitSetResponse {
  @LIMIT('var_95_pct_max') var_95_pct_max: number | null;
  @LIMIT('var_99_pct_max') var_99_pct_max: number | null;
  @LIMIT('volatility_max') volatility_max: number | null;
  @LIMIT('max_drawdown_min') max_drawdown_min: number | null;
  @LIMIT('gross_exposure_max') gross_exposure_max: number | null;
  @LIMIT('net_exposure_min') net_exposure_min: number | null;
  @LIMIT('net_exposure_max') net_exposure_max: number | null;
  @LIMIT('top_position_weight_max') top_position_weight_max: number | null;
  @LIMIT('beta_min') beta_min: number | null;
  @LIMIT('beta_max') beta_max: number | null;
  @LIMIT('sector_weight_max') sector_weight_max: number | null;
}

export class LimitsResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ type: LimitSetResponse, description: 'Every limit; null = not set' })
  limits: LimitSetResponse;

  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'null: never set' })
  updated_at: string | null;
}

export class AlertResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ enum: LIMIT_FIELDS })
  limit: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The sector of a sector_weight_max alert' })
  subject: string | null;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status: string;

  @ApiProperty({ type: 'number', description: 'The limit when last evaluated' })
  threshold: number;

  @ApiProperty({ type: 'number', description: 'The value that opened the alert' })
  opened_value: number;

  @ApiProperty({ type: 'number', nullable: true, description: 'Open: the latest value. Resolved: the value that resolved it (null: the limit was removed)' })
  value: number | null;

  @ApiProperty(TIMESTAMP)
  opened_at: string;

  @ApiProperty({ ...DATE, description: 'The calculation date of the breach' })
  opened_as_of: string;

  @ApiProperty({ ...TIMESTAMP, description: 'Last evaluation that saw it (still open)' })
  last_seen_at: string;

  @ApiProperty(DATE)
  last_seen_as_of: string;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  resolved_at: string | null;

  @ApiProperty({ ...DATE, nullable: true })
  resolved_as_of: string | null;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The run of the latest evaluation of this alert' })
  batch_run_id: string | null;

  @ApiProperty({ type: 'string' })
  message: string;
}
