import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { UserId } from '../common/branded';
import { notFound } from '../common/errors';
import { sqlRows } from '../database/sql';
import type { NotificationType } from './notification-types';

export interface WebhookView {
  id: string;
  url: string;
  events: NotificationType[];
  created_at: string;
}

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  event_type: NotificationType;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  created_at: string;
  delivered_at: string | null;
  /** When pg-boss will try again (a pending delivery after a failed attempt). */
  next_retry_at: string | null;
  attempt_log: DeliveryAttemptView[];
}

/** The delivery as its job needs it. */
export interface DeliveryTarget {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  url: string;
  secret: string;
  event: { seq: string; id: string; user_id: string; type: NotificationType; portfolio_id: string | null; payload: Record<string, unknown>; created_at: Date };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toView = (r: { id: string; url: string; events: NotificationType[]; created_at: Date }): WebhookView => ({ id: r.id, url: r.url, events: r.events, created_at: r.created_at.toISOString() });

/** Webhook subscriptions (per user) and their delivery log. */
@Injectable()
export class WebhookStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(userId: UserId, url: string, events: NotificationType[], secret: string): Promise<WebhookView> {
    const [row] = await sqlRows(this.db, `INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, url, events, created_at`, [userId, url, events, secret]);
    return toView(row);
  }

  async count(userId: UserId): Promise<number> {
    const [row] = await sqlRows(this.db, `SELECT count(*)::int AS n FROM webhooks WHERE user_id = $1`, [userId]);
    return row.n;
  }

  async list(userId: UserId): Promise<WebhookView[]> {
    const rows = await sqlRows(this.db, `SELECT id, url, events, created_at FROM webhooks WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map(toView);
  }

  /** Deletes the caller's webhook with its deliveries (pending jobs then find nothing to do); 404 when not theirs. */
  async delete(userId: UserId, id: string): Promise<void> {
    const rows = await sqlRows(this.db, `DELETE FROM webhooks WHERE id = $1 AND user_id = $2 RETURNING id`, [id, userId]);
    if (!rows.length) throw notFound('Webhook');
  }

  /** The delivery log of the caller's webhook, newest first; 404 when not theirs. */
  async deliveries(userId: UserId, id: string, limit: number): Promise<DeliveryView[]> {
    const owned = await sqlRows(this.db, `SELECT 1 FROM webhooks WHERE id = $1 AND user_id = $2`, [id, userId]);
    if (!owned.length) throw notFound('Webhook');
    const rows = await sqlRows(
      this.db,
      `SELECT d.id, d.event_id, e.type AS event_type, d.status, d.attempts, d.created_at, d.delivered_at,
              CASE WHEN d.status = 'pending' AND j.state = 'retry' THEN j.start_after END AS next_retry_at,
              COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.attempt)
                        FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
       FROM webhook_deliveries d
       JOIN notification_events e ON e.id = d.event_id
       LEFT JOIN pgboss.job j ON j.name = 'webhook-delivery' AND j.id = d.id
       WHERE d.webhook_id = $1 ORDER BY d.created_at DESC, e.seq DESC LIMIT $2`,
      [id, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      event_id: r.event_id,
      event_type: r.event_type,
      status: r.status,
      attempts: r.attempts,
      created_at: r.created_at.toISOString(),
      delivered_at: iso(r.delivered_at),
      next_retry_at: iso(r.next_retry_at),
      attempt_log: (r.attempt_log as Array<DeliveryAttemptView & { at: string }>).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    }));
  }

  async target(deliveryId: string): Promise<DeliveryTarget | null> {
    const [r] = await sqlRows(
      this.db,
      `SELECT d.id, d.status, w.url, w.secret, row_to_json(e) AS event
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN notification_events e ON e.id = d.event_id
       WHERE d.id = $1`,
      [deliveryId],
    );
    if (!r) return null;
    return { ...r, event: { ...r.event, created_at: new Date(r.event.created_at) } };
  }

  /** Counts an attempt before it is made (a crash mid-request still counts it); the attempt number. */
  async beginAttempt(deliveryId: string): Promise<number | null> {
    const [row] = await sqlRows(this.db, `UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING attempts`, [deliveryId]);
    return row ? row.attempts : null;
  }

  /** Logs an attempt and moves the delivery to `delivered` / `failed` (gave up), or leaves it pending for a retry. */
  async recordAttempt(
    deliveryId: string,
    a: { attempt: number; statusCode: number | null; error: string | null; durationMs: number },
    outcome: 'delivered' | 'failed' | 'pending',
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      await sqlRows(
        em,
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (delivery_id, attempt) DO UPDATE SET status_code = EXCLUDED.status_code, error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms, at = now()`,
        [deliveryId, a.attempt, a.statusCode, a.error?.slice(0, 1000) ?? null, Math.round(a.durationMs)],
      );
      if (outcome !== 'pending') {
        await sqlRows(em, `UPDATE webhook_deliveries SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END WHERE id = $1 AND status = 'pending'`, [deliveryId, outcome]);
      }
    });
  }
}
