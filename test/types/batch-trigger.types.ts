/**
 * Compile-time checks (run by `tsc --noEmit` in `npm test`; nothing executes).
 *
 * 1. The branded ids and dates of a batch trigger cannot be swapped: the
 *    original system crashed because a portfolio id was passed as the
 *    calculation date. Each `@ts-expect-error` line below must fail to
 *    compile; if one ever compiles, tsc reports the unused directive.
 * 2. Every entry point starts work through the one typed method
 *    `BatchService.trigger(request: BatchTriggerRequest)`: the controllers
 *    depend on BatchService, and BatchService has no other way to start a run
 *    (test/batch/trigger-contract.e2e-spec.ts checks the routes at run time).
 */
import type { AdminBatchController } from '../../src/batch/admin-batch.controller';
import { resolveRunDates } from '../../src/batch/batch-dates';
import type { BatchScheduler } from '../../src/batch/batch-scheduler';
import type { BatchService } from '../../src/batch/batch.service';
import type { BatchRunView, BatchTrigger, BatchTriggerRequest } from '../../src/batch/batch.types';
import type { UserBatchController } from '../../src/batch/user-batch.controller';
import { asCalendarDate, asPortfolioId, type BatchRunId, type CalendarDate, type PortfolioId } from '../../src/common/branded';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

declare const service: BatchService;
declare const portfolioId: PortfolioId;
declare const date: CalendarDate;
declare const runId: BatchRunId;
declare const text: string;

// ---- what compiles -----------------------------------------------------------
export const ok: BatchTriggerRequest[] = [
  { trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: date },
  { trigger: 'admin', triggeredBy: 'admin@example.com' },
  { trigger: 'admin', triggeredBy: 'admin@example.com', startDate: date, endDate: date, force: true },
  { trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: date, calculationDate: date },
  { trigger: 'cli', triggeredBy: 'cli:root', portfolioId: asPortfolioId(text), calculationDate: asCalendarDate(text) },
];
export const started: Promise<BatchRunView> = service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: date });

// ---- a PortfolioId where a CalendarDate is expected ---------------------------
// @ts-expect-error a portfolio id is not a calculation date
export const swapped1: BatchTriggerRequest = { trigger: 'user', triggeredBy: 'a@example.com', calculationDate: portfolioId };
// @ts-expect-error a portfolio id is not a calculation date
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: portfolioId });
// @ts-expect-error a portfolio id is not a backfill bound
void service.trigger({ trigger: 'admin', triggeredBy: 'admin@example.com', startDate: portfolioId, endDate: date });
// @ts-expect-error a portfolio id is not a scheduled date
void service.trigger({ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: portfolioId });
// @ts-expect-error nor for the date resolution the trigger uses
void resolveRunDates({ calculationDate: portfolioId }, new Date());

// ---- a CalendarDate where a PortfolioId is expected ---------------------------
// @ts-expect-error a calculation date is not a portfolio id
export const swapped2: BatchTriggerRequest = { trigger: 'user', triggeredBy: 'a@example.com', portfolioId: date };
// @ts-expect-error a calculation date is not a portfolio id
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: date, calculationDate: date });
// @ts-expect-error nor is a batch run id
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: runId });

// ---- plain strings (unchecked input) do not compile either ---------------------
// @ts-expect-error a plain string is not a CalendarDate: parse it with asCalendarDate
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', calculationDate: '2025-06-02' });
// @ts-expect-error a plain string is not a CalendarDate
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', calculationDate: text });
// @ts-expect-error a plain string is not a PortfolioId
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: text });
// @ts-expect-error a plain string is not a PortfolioId
export const swapped3: BatchTriggerRequest = { trigger: 'admin', triggeredBy: 'admin@example.com', portfolioId: '6f1c1b1e-0000-4000-8000-000000000000' };

// ---- other mistakes the request type catches ---------------------------------
// @ts-expect-error the trigger is one of user | admin | schedule | cli
void service.trigger({ trigger: 'cron', triggeredBy: 'scheduler' });
// @ts-expect-error who triggered is required
void service.trigger({ trigger: 'user' });
// @ts-expect-error snake_case HTTP fields are not the request's fields
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', calculation_date: date });

// ---- one method, one request type, for every entry point -----------------------
assertType<Equal<Parameters<BatchService['trigger']>[0], BatchTriggerRequest>>();
assertType<Equal<Awaited<ReturnType<BatchService['trigger']>>, BatchRunView>>();
assertType<Equal<BatchTriggerRequest['trigger'], BatchTrigger>>();
assertType<Equal<BatchTrigger, 'user' | 'admin' | 'schedule' | 'cli'>>();
assertType<Equal<NonNullable<BatchTriggerRequest['portfolioId']>, PortfolioId>>();
assertType<Equal<NonNullable<BatchTriggerRequest['calculationDate']>, CalendarDate>>();
assertType<Equal<NonNullable<BatchTriggerRequest['startDate']>, CalendarDate>>();
assertType<Equal<NonNullable<BatchTriggerRequest['endDate']>, CalendarDate>>();
assertType<Equal<NonNullable<BatchTriggerRequest['scheduledDate']>, CalendarDate>>();
// the brands really differ (a structural type would make the checks above vacuous)
assertType<Equal<[PortfolioId] extends [CalendarDate] ? true : false, false>>();
assertType<Equal<[CalendarDate] extends [PortfolioId] ? true : false, false>>();
assertType<Equal<[string] extends [CalendarDate] ? true : false, false>>();

// BatchService's public surface: `trigger` is the only method that starts a run.
assertType<Equal<keyof BatchService, 'trigger' | 'view' | 'viewForPortfolio' | 'detail' | 'list' | 'current' | 'cancel'>>();
// The user and admin controllers (and the cron) get BatchService injected: they cannot start work any other way.
assertType<Equal<ConstructorParameters<typeof UserBatchController>[0], BatchService>>();
assertType<Equal<ConstructorParameters<typeof AdminBatchController>[0], BatchService>>();
assertType<Equal<ConstructorParameters<typeof BatchScheduler>[0], BatchService>>();
