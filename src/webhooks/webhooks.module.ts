import { Module } from '@nestjs/common';
import { BatchModule } from '../batch/batch.module';
import { EventOutbox } from './event-outbox';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookStore } from './webhook.store';
import { WebhooksController } from './webhooks.controller';

/**
 * Webhooks and the per-user notification outbox they deliver from. Other
 * modules publish events with `EventOutbox.publish` inside their transaction.
 */
@Module({
  imports: [BatchModule],
  controllers: [WebhooksController],
  providers: [EventOutbox, WebhookStore, WebhookDeliveryWorker],
  exports: [EventOutbox],
})
export class WebhooksModule {}
