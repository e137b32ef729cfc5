import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { CalendarDate } from '../common/branded';
import { IsCalendarDate } from '../common/branded-input';

export class SnapshotsQuery {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-01-02' })
  @IsOptional()
  @IsCalendarDate()
  from?: CalendarDate;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-06-30' })
  @IsOptional()
  @IsCalendarDate()
  to?: CalendarDate;
}

export class AnalyticsQuery {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-06-02', description: 'Default: the latest calculated date' })
  @IsOptional()
  @IsCalendarDate()
  date?: CalendarDate;
}
