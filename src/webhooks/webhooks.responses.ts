import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_TYPES } from './notification-types';

const TIMESTAMP = { type: 'string', format: 'date-time' } as const;

export class WebhookResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string' })
  url: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true })
  events: string[];

  @ApiProperty(TIMESTAMP)
  created_at: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ type: 'string', description: 'The HMAC-SHA256 signing secret. Shown only in this answer: store it now.' })
  secret: string;
}

export class DeliveryAttemptResponse {
  @ApiProperty({ type: 'integer', minimum: 1 })
  attempt: number;

  @ApiProperty(TIMESTAMP)
  at: string;

  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status; null when no answer came" })
  status_code: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Why the attempt failed (null: delivered)' })
  error: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  duration_ms: number;
}

export class DeliveryResponse {
  @ApiProperty({ type: 'string', format: 'uuid', description: 'Also sent as X-SigmaSight-Delivery' })
  id: string;

  @ApiProperty({ type: 'string', format: 'uuid', description: 'The event (the Idempotency-Key header)' })
  event_id: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES })
  event_type: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], description: '`failed`: retries exhausted or the target refused' })
  status: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts: number;

  @ApiProperty(TIMESTAMP)
  created_at: string;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  delivered_at: string | null;

  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'When the next attempt is due (a pending delivery after a failure)' })
  next_retry_at: string | null;

  @ApiProperty({ type: [DeliveryAttemptResponse] })
  attempt_log: DeliveryAttemptResponse[];
}
