import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt } from '../common/numeric-input';
import { NOTIFICATION_TYPES, NotificationType } from './notification-types';

export class CreateWebhookDto {
  @ApiProperty({ type: 'string', maxLength: 2000, example: 'https://hooks.example.com/sigmasight', description: 'http(s) only; private and loopback targets are refused in production' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true, example: ['alert.opened', 'alert.resolved'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_TYPES.length)
  @ArrayUnique()
  @IsIn(NOTIFICATION_TYPES, { each: true })
  events: NotificationType[];
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
