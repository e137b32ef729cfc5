import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BatchQueue } from '../batch/batch-queue';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { notificationBody } from './notification-types';
import { postWebhook } from './webhook-sender';
import { signWebhook } from './webhook-signature';
import { WebhookStore } from './webhook.store';
import { webhookUrlProblem } from './webhook-target';

/**
 * The `webhook-delivery` job: one POST of one event to one webhook. pg-boss
 * retries a failed attempt (WEBHOOK_RETRY_LIMIT times, exponential backoff
 * from WEBHOOK_RETRY_DELAY_SECONDS); the job outlives restarts. At least once:
 * a receiver may get an event twice (a crash after its answer, before ours
 * was stored) and dedupes on `Idempotency-Key` (the event id).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly queue: BatchQueue,
    private readonly store: WebhookStore,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  onModuleInit(): void {
    this.queue.register(
      'webhook-delivery',
      {
        retryLimit: this.settings.webhookRetryLimit,
        retryDelay: this.settings.webhookRetryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: Math.ceil(this.settings.webhookTimeoutMs / 1000) + 30,
        workers: 2,
      },
      (job) => this.deliver((job.data as { deliveryId: string }).deliveryId, job.retryCount >= job.retryLimit),
    );
  }

  /** One attempt; throws to have pg-boss retry it (unless it was the last). */
  async deliver(deliveryId: string, lastAttempt: boolean): Promise<void> {
    const t = await this.store.target(deliveryId);
    if (!t || t.status !== 'pending') return; // webhook deleted, or already delivered/given up
    const attempt = await this.store.beginAttempt(deliveryId);
    if (attempt === null) return;
    const allowPrivate = this.settings.webhookAllowPrivateTargets;
    const problem = webhookUrlProblem(t.url, allowPrivate);
    const event = { ...t.event, seq: Number(t.event.seq), created_at: t.event.created_at.toISOString(), data: t.event.payload };
    const body = JSON.stringify(notificationBody(event));
    const timestamp = Math.floor(Date.now() / 1000);
    const result = problem
      ? { statusCode: null, error: problem, durationMs: 0, refused: true }
      : await postWebhook(
          t.url,
          body,
          {
            'x-sigmasight-event': t.event.type,
            'x-sigmasight-event-id': t.event.id,
            'idempotency-key': t.event.id,
            'x-sigmasight-delivery': deliveryId,
            'x-sigmasight-timestamp': String(timestamp),
            'x-sigmasight-signature': signWebhook(t.secret, timestamp, body),
          },
          { timeoutMs: this.settings.webhookTimeoutMs, allowPrivate },
        );
    const ok = result.error === null;
    const outcome = ok ? 'delivered' : result.refused || lastAttempt ? 'failed' : 'pending';
    await this.store.recordAttempt(deliveryId, { attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs }, outcome);
    if (ok) return;
    this.logger.warn(`webhook delivery ${deliveryId} attempt ${attempt} failed: ${result.error}${outcome === 'failed' ? ' (giving up)' : ''}`);
    if (outcome === 'pending') throw new Error(`delivery attempt ${attempt} failed: ${result.error}`);
  }
}
