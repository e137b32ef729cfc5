import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchQueue } from '../batch/batch-queue';
import { sqlRows } from '../database/sql';
import type { NotificationInput, NotificationType, NotificationView } from './notification-types';

interface EventRow {
  seq: string;
  id: string;
  user_id: string;
  type: NotificationType;
  portfolio_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

const toView = (r: EventRow): NotificationView => ({
  seq: Number(r.seq),
  id: r.id,
  user_id: r.user_id,
  type: r.type,
  portfolio_id: r.portfolio_id,
  created_at: r.created_at.toISOString(),
  data: r.payload,
});

/**
 * The per-user notification outbox. `publish` runs inside the transaction
 * that causes the events (e.g. an alert opening): the event rows, one
 * delivery row per subscribed webhook and that delivery's pg-boss job are
 * written together, so either all exist or none — nothing is lost when the
 * process dies right after, and no delivery is attempted for an event that
 * was rolled back. SSE streams read the same rows.
 */
@Injectable()
export class EventOutbox {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: BatchQueue,
  ) {}

  async publish(em: EntityManager, events: NotificationInput[]): Promise<NotificationView[]> {
    if (!events.length) return [];
    const rows: EventRow[] = await sqlRows(
      em,
      `INSERT INTO notification_events (user_id, type, portfolio_id, payload)
       SELECT e.user_id, e.type, e.portfolio_id, e.payload
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (user_id uuid, type text, portfolio_id uuid, payload jsonb))
         WITH ORDINALITY AS e(user_id, type, portfolio_id, payload, ord)
       ORDER BY e.ord
       RETURNING seq, id, user_id, type, portfolio_id, payload, created_at`,
      [JSON.stringify(events.map((e) => ({ user_id: e.userId, type: e.type, portfolio_id: e.portfolioId, payload: e.payload })))],
    );
    const deliveries: Array<{ id: string }> = await sqlRows(
      em,
      `INSERT INTO webhook_deliveries (webhook_id, event_id)
       SELECT w.id, e.id FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS e(id, user_id, type)
       JOIN webhooks w ON w.user_id = e.user_id AND e.type = ANY(w.events)
       ON CONFLICT (webhook_id, event_id) DO NOTHING
       RETURNING id`,
      [rows.map((r) => r.id), rows.map((r) => r.user_id), rows.map((r) => r.type)],
    );
    await this.queue.insertWith(
      (sql, params) => sqlRows(em, sql, params),
      'webhook-delivery',
      deliveries.map((d) => ({ id: d.id, data: { deliveryId: d.id } })),
    );
    return rows.map(toView).sort((a, b) => a.seq - b.seq);
  }

  /** The latest sequence number (a new stream starts after it). */
  async lastSeq(): Promise<number> {
    const [row] = await sqlRows(this.db, `SELECT COALESCE(max(seq), 0) AS seq FROM notification_events`);
    return Number(row.seq);
  }

  /**
   * Events of these users after `afterSeq`, plus those after `fromSeq` created
   * within `lateWindow` (a transaction may commit a lower seq after a higher
   * one was read; callers dedupe by seq). Oldest first; one statement for
   * every stream of a process.
   */
  async readRecent(userIds: string[], fromSeq: number, afterSeq: number, lateWindow: string, types: readonly NotificationType[], limit = 500): Promise<NotificationView[]> {
    if (!userIds.length) return [];
    const rows: EventRow[] = await sqlRows(
      this.db,
      `SELECT seq, id, user_id, type, portfolio_id, payload, created_at FROM notification_events
       WHERE user_id = ANY($1::uuid[]) AND seq > $2 AND (seq > $3 OR created_at > now() - $4::interval) AND type = ANY($5::text[])
       ORDER BY seq LIMIT $6`,
      [userIds, fromSeq, afterSeq, lateWindow, types, limit],
    );
    return rows.map(toView);
  }
}
