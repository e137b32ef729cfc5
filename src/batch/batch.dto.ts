import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { IsCalendarDate, IsPortfolioId } from '../common/branded-input';
import { QueryInt } from '../common/numeric-input';
import { BATCH_STATUSES } from './batch.types';

export class CalculateDto {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-06-02', description: 'Trading day to calculate; default the latest completed one' })
  @IsOptional()
  @IsCalendarDate()
  calculation_date?: CalendarDate;
}

export class AdminRunDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'One portfolio; default all' })
  @IsOptional()
  @IsPortfolioId()
  portfolio_id?: PortfolioId;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-06-02' })
  @IsOptional()
  @IsCalendarDate()
  calculation_date?: CalendarDate;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-05-01', description: 'Backfill start (with end_date): every trading day in between, in order' })
  @IsOptional()
  @IsCalendarDate()
  start_date?: CalendarDate;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-05-30' })
  @IsOptional()
  @IsCalendarDate()
  end_date?: CalendarDate;

  @ApiPropertyOptional({ default: false, description: 'Re-fetch market data already stored for the run' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** Far beyond any history; keeps OFFSET a small integer for PostgreSQL. */
const MAX_OFFSET = 1_000_000_000;

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: (typeof BATCH_STATUSES)[number];

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}
