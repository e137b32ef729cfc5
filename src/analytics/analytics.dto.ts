import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../common/is-calendar-date';

export class SnapshotsQuery {
  @ApiPropertyOptional({ format: 'date', example: '2025-01-02' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2025-06-30' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class AnalyticsQuery {
  @ApiPropertyOptional({ format: 'date', example: '2025-06-02', description: 'Default: the latest calculated date' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}
