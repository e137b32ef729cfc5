/** Kinds of user notifications: pushed on SSE and delivered to webhooks subscribed to them. */
export const NOTIFICATION_TYPES = ['alert.opened', 'alert.resolved', 'batch.completed'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** One notification to record for a user (`payload` becomes the body's `data`). */
export interface NotificationInput {
  userId: string;
  type: NotificationType;
  portfolioId: string | null;
  payload: Record<string, unknown>;
}

/** A recorded notification: `seq` orders a user's stream (SSE ids), `id` is the idempotency key receivers dedupe on. */
export interface NotificationView {
  seq: number;
  id: string;
  user_id: string;
  type: NotificationType;
  portfolio_id: string | null;
  created_at: string;
  data: Record<string, unknown>;
}

/** The JSON body of a webhook delivery (and of an SSE event's `data`). */
export const notificationBody = (n: NotificationView) => ({ id: n.id, type: n.type, created_at: n.created_at, portfolio_id: n.portfolio_id, data: n.data });
