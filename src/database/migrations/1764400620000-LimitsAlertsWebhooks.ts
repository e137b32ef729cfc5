import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 items 5 and 6: risk limits per portfolio, the alerts they raise,
 * the per-user event outbox (SSE reads it, webhooks fan out from it), webhook
 * subscriptions and their delivery log.
 */
export class LimitsAlertsWebhooks1764400620000 implements MigrationInterface {
  name = 'LimitsAlertsWebhooks1764400620000';

  async up(q: QueryRunner): Promise<void> {
    // the whole limit set of a portfolio, replaced by PUT (validated at the edge)
    await q.query(`CREATE TABLE portfolio_limits (
      portfolio_id uuid PRIMARY KEY REFERENCES portfolios(id) ON DELETE CASCADE,
      limits jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // one row per breach episode: opened, still open (last_seen_*), resolved
    await q.query(`CREATE TABLE portfolio_alerts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      limit_key text NOT NULL,
      limit_name text NOT NULL,
      subject text,
      status text NOT NULL CHECK (status IN ('open','resolved')),
      threshold double precision NOT NULL,
      opened_value double precision NOT NULL,
      last_value double precision NOT NULL,
      opened_at timestamptz NOT NULL DEFAULT now(),
      opened_as_of date NOT NULL,
      opened_run_id uuid,
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_as_of date NOT NULL,
      last_run_id uuid,
      resolved_at timestamptz,
      resolved_as_of date,
      resolved_value double precision,
      resolved_run_id uuid)`);
    await q.query(`CREATE UNIQUE INDEX portfolio_alerts_open_idx ON portfolio_alerts(portfolio_id, limit_key) WHERE status = 'open'`);
    await q.query(`CREATE INDEX portfolio_alerts_portfolio_idx ON portfolio_alerts(portfolio_id, opened_at DESC)`);
    // which run last evaluated a portfolio's limits: a re-run of the same evaluation is a no-op
    await q.query(`CREATE TABLE limit_evaluations (
      portfolio_id uuid PRIMARY KEY REFERENCES portfolios(id) ON DELETE CASCADE,
      batch_run_id uuid NOT NULL,
      as_of date NOT NULL,
      evaluated_at timestamptz NOT NULL DEFAULT now())`);
    // per-user event outbox: written in the transaction that causes the event
    await q.query(`CREATE TABLE notification_events (
      seq bigserial PRIMARY KEY,
      id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      type text NOT NULL,
      portfolio_id uuid,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX notification_events_user_idx ON notification_events(user_id, seq)`);
    await q.query(`CREATE TABLE webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      url text NOT NULL,
      events text[] NOT NULL,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX webhooks_user_idx ON webhooks(user_id)`);
    // one delivery per (webhook, event); its id is also its pg-boss job id
    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      event_id uuid NOT NULL REFERENCES notification_events(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
      attempts int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      UNIQUE (webhook_id, event_id))`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries(webhook_id, created_at DESC)`);
    await q.query(`CREATE TABLE webhook_delivery_attempts (
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      attempt int NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      status_code int,
      error text,
      duration_ms int NOT NULL,
      PRIMARY KEY (delivery_id, attempt))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_delivery_attempts', 'webhook_deliveries', 'webhooks', 'notification_events', 'limit_evaluations', 'portfolio_alerts', 'portfolio_limits']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
