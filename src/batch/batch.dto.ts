import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../common/is-calendar-date';
import { BATCH_STATUSES } from './batch.types';

export class CalculateDto {
  @ApiPropertyOptional({ format: 'date', example: '2025-06-02', description: 'Trading day to calculate; default the latest completed one' })
  @IsOptional()
  @IsCalendarDate()
  calculation_date?: string;
}

export class AdminRunDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One portfolio; default all' })
  @IsOptional()
  @IsUUID()
  portfolio_id?: string;

  @ApiPropertyOptional({ example: '2025-06-02' })
  @IsOptional()
  @IsCalendarDate()
  calculation_date?: string;

  @ApiPropertyOptional({ example: '2025-05-01', description: 'Backfill start (with end_date): every trading day in between, in order' })
  @IsOptional()
  @IsCalendarDate()
  start_date?: string;

  @ApiPropertyOptional({ example: '2025-05-30' })
  @IsOptional()
  @IsCalendarDate()
  end_date?: string;

  @ApiPropertyOptional({ default: false, description: 'Re-fetch market data already stored for the run' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** A query integer in its plain decimal form only (`0x10`, ` 5`, `1e1` stay strings and fail @IsInt). */
const canonicalInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^(0|[1-9]\d{0,15})$/.test(value) ? Number(value) : value);

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: (typeof BATCH_STATUSES)[number];

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(canonicalInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0 })
  @IsOptional()
  @Transform(canonicalInt)
  @IsInt()
  @Min(0)
  offset?: number;
}
