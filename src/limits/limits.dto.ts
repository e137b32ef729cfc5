import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import type { PortfolioId } from '../common/branded';
import { IsPortfolioId } from '../common/branded-input';
import { QueryInt } from '../common/numeric-input';
import { LIMIT_DEFINITIONS, LimitField } from './limit-rules';

const finite = { allowNaN: false, allowInfinity: false };

/** Each limit: a number, or null/absent for none. Ranges and min ≤ max are checked by limitProblems (all problems in one 400). */
function LimitProperty(field: LimitField): PropertyDecorator {
  const d = LIMIT_DEFINITIONS[field];
  const doc = ApiPropertyOptional({ type: 'number', nullable: true, description: `${d.bound === 'max' ? 'Upper' : 'Lower'} bound: ${d.unit}. Range ${d.exclusiveMin ? '(' : '['}${d.min}, ${d.max}]; null clears it.` });
  const optional = ValidateIf((_o, v) => v !== null && v !== undefined);
  const number = IsNumber(finite, { message: `${field} must be a finite number or null` });
  return (target, key) => {
    doc(target, key);
    optional(target, key);
    number(target, key);
  };
}

/** PUT /portfolio/{id}/limits: the whole set (a limit left out or null is removed). */
export class LimitsDto {
  @LimitProperty('var_95_pct_max') var_95_pct_max?: number | null;
  @LimitProperty('var_99_pct_max') var_99_pct_max?: number | null;
  @LimitProperty('volatility_max') volatility_max?: number | null;
  @LimitProperty('max_drawdown_min') max_drawdown_min?: number | null;
  @LimitProperty('gross_exposure_max') gross_exposure_max?: number | null;
  @LimitProperty('net_exposure_min') net_exposure_min?: number | null;
  @LimitProperty('net_exposure_max') net_exposure_max?: number | null;
  @LimitProperty('top_position_weight_max') top_position_weight_max?: number | null;
  @LimitProperty('beta_min') beta_min?: number | null;
  @LimitProperty('beta_max') beta_max?: number | null;
  @LimitProperty('sector_weight_max') sector_weight_max?: number | null;
}

export class AlertsQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  status?: 'open' | 'resolved' | 'all';

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AlertEventsQuery {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: "Only this portfolio's events (yours; 404 otherwise)" })
  @IsOptional()
  @IsPortfolioId()
  portfolio_id?: PortfolioId;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Replay events after this id (as the Last-Event-ID header does); default: only new events' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  since?: number;

  @ApiPropertyOptional({
    type: 'integer',
    default: 3600,
    minimum: 0,
    maximum: 86400,
    description: 'The server ends the stream after this long (an EventSource reconnects and resumes); 0: send the events after `since` and end at once',
  })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(86400)
  max_seconds?: number;
}
