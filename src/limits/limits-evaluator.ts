import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DayMetricsReader } from '../analytics/day-metrics.reader';
import { BatchEventLog } from '../batch/batch-event-log';
import { BatchQueue } from '../batch/batch-queue';
import { BatchRunTracker } from '../batch/batch-run-tracker';
import { BatchService } from '../batch/batch.service';
import { ACTIVE_STATUSES, BatchRunEventView } from '../batch/batch.types';
import { asBatchRunId, BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { DomainError } from '../common/errors';
import { sqlRows } from '../database/sql';
import { EventOutbox } from '../webhooks/event-outbox';
import type { NotificationInput } from '../webhooks/notification-types';
import { alertTransitions, AlertTransitions } from './alert-transitions';
import { evaluateLimits, LIMIT_FIELDS, LIMIT_RISK_SECTIONS, limitMetrics, LimitObservation, LimitSet } from './limit-rules';
import { alertColumns, AlertView, LimitsStore, toAlertView } from './limits.store';

/** Run statuses after which limits are evaluated (a failed or cancelled run wrote nothing final). */
const EVALUATED_STATUSES = ['completed', 'partial'];

export interface EvaluationSummary {
  portfolios: number;
  evaluated: number;
  opened: number;
  kept: number;
  resolved: number;
}

/**
 * Limits are evaluated after every run that covers a portfolio: a run's
 * `run_finished` (completed or partial) is recorded together with a durable
 * `limits-evaluate` job keyed by the run id, in the same transaction, so no
 * run can finish without its evaluation queued (a process that dies right
 * after the commit leaves the job to another); the job evaluates every
 * covered portfolio's limits against the run's last date, set-based, and
 * opens, keeps or resolves alerts in one transaction with their notifications.
 * Idempotent per run: each portfolio records the run that last evaluated it,
 * and a repeated (or older) run changes nothing.
 */
@Injectable()
export class LimitsEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LimitsEvaluator');
  private unhook: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: BatchEventLog,
    private readonly queue: BatchQueue,
    private readonly batch: BatchService,
    private readonly tracker: BatchRunTracker,
    private readonly dayMetrics: DayMetricsReader,
    private readonly store: LimitsStore,
    private readonly outbox: EventOutbox,
  ) {}

  onModuleInit(): void {
    this.queue.register('limits-evaluate', { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 600, workers: 1 }, (job) =>
      this.evaluateRun(asBatchRunId((job.data as { runId: string }).runId)).then(() => undefined),
    );
    this.unhook = this.events.onRecorded((events, em) => this.queueEvaluations(events, em));
  }

  onModuleDestroy(): void {
    this.unhook?.();
  }

  /** In the transaction that records the events: a job for each run that finished completed or partial. */
  private async queueEvaluations(events: BatchRunEventView[], em: DataSource | EntityManager): Promise<void> {
    const runs = events.filter((e) => e.kind === 'run_finished' && EVALUATED_STATUSES.includes(String(e.details?.status))).map((e) => e.batch_run_id);
    // the job's id is the run's: queuing it twice (two recorders, a retry) is a no-op
    await this.queue.insertWith((sql, params) => sqlRows(em, sql, params), 'limits-evaluate', runs.map((id) => ({ id, data: { runId: id } })));
  }

  /** The job: evaluates the run's portfolios (a no-op for a run already evaluated). */
  async evaluateRun(runId: BatchRunId): Promise<EvaluationSummary> {
    const none: EvaluationSummary = { portfolios: 0, evaluated: 0, opened: 0, kept: 0, resolved: 0 };
    const run = await this.batch.view(runId).catch((e) => {
      if (e instanceof DomainError && e.kind === 'not_found') return null;
      throw e;
    });
    if (!run) return none;
    // recorded inside a transaction not yet committed: try again shortly (the job retries)
    if (ACTIVE_STATUSES.includes(run.status)) throw new Error(`run ${runId} is still ${run.status}`);
    if (!EVALUATED_STATUSES.includes(run.status)) return none;
    const asOf = run.end_date ?? run.calculation_date;
    const ids = await this.tracker.portfoliosOf(runId);
    if (!ids.length) return none;
    const summary = await this.db.transaction((em) => this.evaluateIn(em, runId, run.status, asOf, ids));
    if (summary.opened || summary.resolved) {
      this.logger.log(`run ${runId}: limits of ${summary.evaluated} portfolio(s) evaluated, ${summary.opened} alert(s) opened, ${summary.resolved} resolved`);
    }
    return summary;
  }

  private async evaluateIn(
    em: EntityManager,
    runId: BatchRunId,
    status: string,
    asOf: CalendarDate,
    ids: PortfolioId[],
  ): Promise<EvaluationSummary> {
    const owners = await this.claim(em, runId, asOf, ids);
    const claimed = [...owners.keys()];
    const summary: EvaluationSummary = { portfolios: claimed.length, evaluated: 0, opened: 0, kept: 0, resolved: 0 };
    if (!claimed.length) return summary;
    const limits = await this.store.limitsForUpdate(em, claimed);
    const openRows = await sqlRows(em, `SELECT id, portfolio_id, limit_key FROM portfolio_alerts WHERE status = 'open' AND portfolio_id = ANY($1::uuid[])`, [claimed]);
    const openBy = new Map<PortfolioId, typeof openRows>();
    for (const r of openRows) {
      const list = openBy.get(r.portfolio_id);
      if (list) list.push(r);
      else openBy.set(r.portfolio_id, [r]);
    }
    // only portfolios with a limit or an open alert have anything to check; of their records, only what limits read
    const checked = claimed.filter((pid) => openBy.has(pid) || Object.keys(limits.get(pid) ?? {}).length > 0);
    const metrics = await this.dayMetrics.onDate(checked, asOf, LIMIT_RISK_SECTIONS, em);
    const opened: Array<{ portfolioId: PortfolioId; o: LimitObservation }> = [];
    const kept: Array<{ id: string; value: number; threshold: number }> = [];
    const resolved: Array<{ id: string; value: number | null }> = [];
    for (const pid of checked) {
      const day = metrics.get(pid);
      if (!day) continue; // no result that day
      const set: LimitSet = limits.get(pid) ?? {};
      const open = openBy.get(pid) ?? [];
      summary.evaluated++;
      const evaluation = evaluateLimits(set, limitMetrics(day.risk, day.snapshot));
      for (const s of evaluation.skipped) this.logger.debug(`portfolio ${pid}: ${s.limit} not checked: ${s.reason}`);
      const t: AlertTransitions = alertTransitions(open, evaluation, new Set(LIMIT_FIELDS.filter((f) => typeof set[f] === 'number')));
      opened.push(...t.open.map((o) => ({ portfolioId: pid, o })));
      kept.push(...t.keep.map((k) => ({ id: k.alertId, value: k.observation.value, threshold: k.observation.threshold })));
      resolved.push(...t.resolve.map((r) => ({ id: r.alertId, value: r.observation?.value ?? null })));
    }
    const openedViews = await this.insertOpened(em, runId, asOf, opened);
    await this.updateKept(em, runId, asOf, kept);
    const resolvedViews = await this.updateResolved(em, runId, asOf, resolved);
    Object.assign(summary, { opened: openedViews.length, kept: kept.length, resolved: resolvedViews.length });
    await this.outbox.publish(em, this.notifications(runId, status, asOf, owners, openedViews, resolvedViews));
    return summary;
  }

  /**
   * Marks the run as the latest evaluation of each covered portfolio that
   * still exists and was not evaluated by this run or a later date; those
   * portfolios (with their owners) are this evaluation's.
   */
  private async claim(em: EntityManager, runId: BatchRunId, asOf: CalendarDate, ids: PortfolioId[]): Promise<Map<PortfolioId, string>> {
    const rows = await sqlRows(
      em,
      `WITH claimed AS (
         INSERT INTO limit_evaluations (portfolio_id, batch_run_id, as_of)
         SELECT p.id, $2, $3 FROM portfolios p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id
         ON CONFLICT (portfolio_id) DO UPDATE SET batch_run_id = EXCLUDED.batch_run_id, as_of = EXCLUDED.as_of, evaluated_at = now()
           WHERE limit_evaluations.batch_run_id <> EXCLUDED.batch_run_id AND limit_evaluations.as_of <= EXCLUDED.as_of
         RETURNING portfolio_id)
       SELECT c.portfolio_id, p.user_id FROM claimed c JOIN portfolios p ON p.id = c.portfolio_id ORDER BY c.portfolio_id`,
      [ids, runId, asOf],
    );
    return new Map(rows.map((r) => [r.portfolio_id as PortfolioId, r.user_id as string]));
  }

  private async insertOpened(em: EntityManager, runId: BatchRunId, asOf: CalendarDate, opened: Array<{ portfolioId: PortfolioId; o: LimitObservation }>): Promise<AlertView[]> {
    if (!opened.length) return [];
    const rows = await sqlRows(
      em,
      `INSERT INTO portfolio_alerts (portfolio_id, limit_key, limit_name, subject, status, threshold, opened_value, last_value, opened_as_of, opened_run_id, last_seen_as_of, last_run_id)
       SELECT u.portfolio_id, u.key, u.limit_name, u.subject, 'open', u.threshold, u.value, u.value, $2, $3, $2, $3
       FROM jsonb_to_recordset($1::jsonb) AS u(portfolio_id uuid, key text, limit_name text, subject text, threshold float8, value float8)
       RETURNING ${alertColumns()}`,
      [JSON.stringify(opened.map(({ portfolioId, o }) => ({ portfolio_id: portfolioId, key: o.key, limit_name: o.limit, subject: o.subject, threshold: o.threshold, value: o.value }))), asOf, runId],
    );
    return rows.map(toAlertView);
  }

  private async updateKept(em: EntityManager, runId: BatchRunId, asOf: CalendarDate, kept: Array<{ id: string; value: number; threshold: number }>): Promise<void> {
    if (!kept.length) return;
    await sqlRows(
      em,
      `UPDATE portfolio_alerts a SET last_value = u.value, threshold = u.threshold, last_seen_at = now(), last_seen_as_of = $2, last_run_id = $3
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, value float8, threshold float8) WHERE a.id = u.id`,
      [JSON.stringify(kept), asOf, runId],
    );
  }

  private async updateResolved(em: EntityManager, runId: BatchRunId, asOf: CalendarDate, resolved: Array<{ id: string; value: number | null }>): Promise<AlertView[]> {
    if (!resolved.length) return [];
    const rows = await sqlRows(
      em,
      `UPDATE portfolio_alerts a SET status = 'resolved', resolved_at = now(), resolved_as_of = $2, resolved_value = u.value, resolved_run_id = $3
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, value float8) WHERE a.id = u.id AND a.status = 'open'
       RETURNING ${alertColumns('a.')}`,
      [JSON.stringify(resolved), asOf, runId],
    );
    return rows.map(toAlertView);
  }

  private notifications(runId: BatchRunId, status: string, asOf: CalendarDate, owners: Map<PortfolioId, string>, opened: AlertView[], resolved: AlertView[]): NotificationInput[] {
    const alertEvent = (type: 'alert.opened' | 'alert.resolved') => (a: AlertView): NotificationInput => ({
      userId: owners.get(a.portfolio_id as PortfolioId)!,
      type,
      portfolioId: a.portfolio_id,
      payload: { alert: a },
    });
    const byUser = new Map<string, string[]>();
    for (const [pid, user] of owners) byUser.set(user, [...(byUser.get(user) ?? []), pid]);
    const completed: NotificationInput[] = [...byUser].map(([userId, portfolioIds]) => ({
      userId,
      type: 'batch.completed',
      portfolioId: portfolioIds.length === 1 ? portfolioIds[0] : null,
      payload: { batch_run_id: runId, status, as_of: asOf, portfolio_ids: portfolioIds, alerts_opened: opened.filter((a) => portfolioIds.includes(a.portfolio_id)).length, alerts_resolved: resolved.filter((a) => portfolioIds.includes(a.portfolio_id)).length },
    }));
    return [...opened.map(alertEvent('alert.opened')), ...resolved.map(alertEvent('alert.resolved')), ...completed];
  }
}
