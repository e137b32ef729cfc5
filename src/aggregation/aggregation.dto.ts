import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class AggregateQuery {
  @ApiPropertyOptional({
    type: String,
    example: '3f1c2a9e-0b4d-4c6e-9a57-2d8e1f0c7b11,9b2e7d40-5a1f-4e38-b6c9-0f4a3d2e1c55',
    description: 'Comma-separated portfolio ids (at most 50; duplicates count once). Default: all of yours.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  ids?: string;
}
