/**
 * Compile-time checks (run by `tsc --noEmit` in `npm test`; nothing executes).
 *
 * 1. The branded ids and dates of a batch trigger cannot be swapped: the
 *    original system crashed because a portfolio id was passed as the
 *    calculation date. Each `@ts-expect-error` line below must fail to
 *    compile; if one ever compiles, tsc reports the unused directive. The
 *    swaps are checked where they would be written: the request builder, the
 *    admin route's DTO mapping, the user route's parameters.
 * 2. Every entry point starts work through the one typed method
 *    `BatchService.trigger(request: BatchTriggerRequest)`, and a request is
 *    made only by `batchTriggerRequest()`: the controllers and the cron depend
 *    on BatchService and on nothing else that can start a run
 *    (test/batch/trigger-contract.e2e-spec.ts checks the routes at run time).
 */
import type { AuthenticatedUser } from '../../src/auth/authenticated-user';
import type { AdminBatchController } from '../../src/batch/admin-batch.controller';
import { resolveRunDates } from '../../src/batch/batch-dates';
import type { BatchEventsController } from '../../src/batch/batch-events.controller';
import type { BatchEventLog } from '../../src/batch/batch-event-log';
import type { BatchOrchestrator } from '../../src/batch/batch-orchestrator';
import type { BatchQueue } from '../../src/batch/batch-queue';
import type { BatchRunTracker } from '../../src/batch/batch-run-tracker';
import type { BatchRunRepository } from '../../src/batch/batch-run.repository';
import type { BatchScheduler } from '../../src/batch/batch-scheduler';
import { batchTriggerRequest } from '../../src/batch/batch-trigger-request';
import type { BatchWorkRepository } from '../../src/batch/batch-work.repository';
import type { AdminRunDto, CalculateDto } from '../../src/batch/batch.dto';
import type { BatchService } from '../../src/batch/batch.service';
import type { BatchRunView, BatchTrigger, BatchTriggerFields, BatchTriggerRequest } from '../../src/batch/batch.types';
import type { UserBatchController } from '../../src/batch/user-batch.controller';
import { asCalendarDate, asPortfolioId, type BatchRunId, type CalendarDate, type PortfolioId } from '../../src/common/branded';
import type { BatchRunIdPipe, PortfolioIdPipe } from '../../src/common/branded-input';
import type { PortfoliosService } from '../../src/portfolios/portfolios.service';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

declare const service: BatchService;
declare const portfolioId: PortfolioId;
declare const date: CalendarDate;
declare const runId: BatchRunId;
declare const text: string;

// ---- what compiles -----------------------------------------------------------
export const ok: BatchTriggerRequest[] = [
  batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: date }),
  batchTriggerRequest({ trigger: 'admin', triggeredBy: 'admin@example.com' }),
  batchTriggerRequest({ trigger: 'admin', triggeredBy: 'admin@example.com', startDate: date, endDate: date, force: true }),
  batchTriggerRequest({ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: date, calculationDate: date }),
  batchTriggerRequest({ trigger: 'cli', triggeredBy: 'cli:root', portfolioId: asPortfolioId(text), calculationDate: asCalendarDate(text) }),
];
export const started: Promise<BatchRunView> = service.trigger(batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: date }));

// ---- a request is built by batchTriggerRequest() only --------------------------
// @ts-expect-error an object literal is not a BatchTriggerRequest
void service.trigger({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: date });
const fields: BatchTriggerFields = { trigger: 'admin', triggeredBy: 'admin@example.com' };
// @ts-expect-error nor are the unsealed fields
void service.trigger(fields);

// ---- a PortfolioId where a CalendarDate is expected ---------------------------
// @ts-expect-error a portfolio id is not a calculation date
export const swapped1: BatchTriggerFields = { trigger: 'user', triggeredBy: 'a@example.com', calculationDate: portfolioId };
// @ts-expect-error a portfolio id is not a calculation date
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId, calculationDate: portfolioId });
// @ts-expect-error a portfolio id is not a backfill bound
void batchTriggerRequest({ trigger: 'admin', triggeredBy: 'admin@example.com', startDate: portfolioId, endDate: date });
// @ts-expect-error a portfolio id is not a scheduled date
void batchTriggerRequest({ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: portfolioId });
// @ts-expect-error nor for the date resolution the trigger uses
void resolveRunDates({ calculationDate: portfolioId }, new Date());

// ---- a CalendarDate where a PortfolioId is expected ---------------------------
// @ts-expect-error a calculation date is not a portfolio id
export const swapped2: BatchTriggerFields = { trigger: 'user', triggeredBy: 'a@example.com', portfolioId: date };
// @ts-expect-error a calculation date is not a portfolio id
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: date, calculationDate: date });
// @ts-expect-error nor is a batch run id
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: runId });

// ---- plain strings (unchecked input) do not compile either ---------------------
// @ts-expect-error a plain string is not a CalendarDate: parse it with asCalendarDate
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', calculationDate: '2025-06-02' });
// @ts-expect-error a plain string is not a CalendarDate
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', calculationDate: text });
// @ts-expect-error a plain string is not a PortfolioId
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', portfolioId: text });
// @ts-expect-error a plain string is not a PortfolioId
export const swapped3: BatchTriggerFields = { trigger: 'admin', triggeredBy: 'admin@example.com', portfolioId: '6f1c1b1e-0000-4000-8000-000000000000' };

// ---- other mistakes the request type catches ---------------------------------
// @ts-expect-error the trigger is one of user | admin | schedule | cli
void batchTriggerRequest({ trigger: 'cron', triggeredBy: 'scheduler' });
// @ts-expect-error who triggered is required
void batchTriggerRequest({ trigger: 'user' });
// @ts-expect-error snake_case HTTP fields are not the request's fields
void batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@example.com', calculation_date: date });

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
assertType<
  Equal<keyof BatchService, 'trigger' | 'view' | 'viewForPortfolio' | 'listForPortfolio' | 'scopeForViewer' | 'detail' | 'list' | 'lastScheduledSuccess' | 'current' | 'cancel'>
>();
assertType<Equal<Parameters<typeof batchTriggerRequest>, [BatchTriggerFields]>>();
assertType<Equal<ReturnType<typeof batchTriggerRequest>, BatchTriggerRequest>>();

// ---- every constructor parameter ------------------------------------------------
// BatchService's own dependencies, each one: a new one (another way into the run tables or the queue) must be looked at here.
assertType<Equal<ConstructorParameters<typeof BatchService>, [BatchRunRepository, BatchWorkRepository, BatchQueue, PortfoliosService, BatchRunTracker, BatchEventLog]>>();
/** What can start or enqueue a run without BatchService.trigger. */
type RunStarter = BatchRunRepository | BatchWorkRepository | BatchQueue | BatchOrchestrator;
/** true when no parameter of the tuple is a RunStarter (each parameter is checked, not just the first). */
type NoRunStarter<P extends unknown[]> = [Extract<P[number], RunStarter>] extends [never] ? true : false;
// the class types are nominal (private members), so the check above has teeth:
assertType<Equal<NoRunStarter<[BatchService, BatchRunRepository]>, false>>();
assertType<Equal<NoRunStarter<[PortfoliosService, BatchService, BatchQueue]>, false>>();
// The user and admin controllers, the events stream and the cron get BatchService injected and nothing else that starts runs.
assertType<Equal<ConstructorParameters<typeof UserBatchController>[0], BatchService>>();
assertType<Equal<ConstructorParameters<typeof AdminBatchController>, [BatchService]>>();
assertType<Equal<ConstructorParameters<typeof BatchScheduler>[0], BatchService>>();
assertType<NoRunStarter<ConstructorParameters<typeof UserBatchController>>>();
assertType<NoRunStarter<ConstructorParameters<typeof AdminBatchController>>>();
assertType<NoRunStarter<ConstructorParameters<typeof BatchEventsController>>>();
assertType<NoRunStarter<ConstructorParameters<typeof BatchScheduler>>>();

// ---- at the controllers: the edge gives branded values, so a swap does not compile ----
declare const adminDto: AdminRunDto;
declare const calculateDto: CalculateDto;
declare const user: AuthenticatedUser;
declare const userRoutes: UserBatchController;
// the DTOs hold checked, branded values (IsPortfolioId / IsCalendarDate validate and brand)
assertType<Equal<AdminRunDto['portfolio_id'], PortfolioId | undefined>>();
assertType<Equal<AdminRunDto['calculation_date'], CalendarDate | undefined>>();
assertType<Equal<AdminRunDto['start_date'], CalendarDate | undefined>>();
assertType<Equal<AdminRunDto['end_date'], CalendarDate | undefined>>();
assertType<Equal<CalculateDto['calculation_date'], CalendarDate | undefined>>();
// and so do the route-parameter pipes
assertType<Equal<ReturnType<PortfolioIdPipe['transform']>, PortfolioId>>();
assertType<Equal<ReturnType<BatchRunIdPipe['transform']>, BatchRunId>>();

// the admin route's mapping, as written in admin-batch.controller.ts, compiles ...
export const adminMapping = batchTriggerRequest({
  trigger: 'admin', triggeredBy: user.email, portfolioId: adminDto.portfolio_id, calculationDate: adminDto.calculation_date,
  startDate: adminDto.start_date, endDate: adminDto.end_date, force: adminDto.force,
});
// ... and with portfolio_id and calculation_date swapped it does not:
// @ts-expect-error admin DTO: calculation_date is not a portfolio id
void batchTriggerRequest({ trigger: 'admin', triggeredBy: user.email, portfolioId: adminDto.calculation_date });
// @ts-expect-error admin DTO: portfolio_id is not a calculation date
void batchTriggerRequest({ trigger: 'admin', triggeredBy: user.email, calculationDate: adminDto.portfolio_id });
// @ts-expect-error admin DTO: portfolio_id is not a backfill bound
void batchTriggerRequest({ trigger: 'admin', triggeredBy: user.email, startDate: adminDto.portfolio_id, endDate: adminDto.end_date });

// the user route: its portfolio id comes from PortfolioIdPipe, its date from CalculateDto
assertType<Equal<Parameters<UserBatchController['calculate']>, [AuthenticatedUser, PortfolioId, CalculateDto]>>();
assertType<Equal<Parameters<UserBatchController['status']>, [AuthenticatedUser, PortfolioId, BatchRunId]>>();
export const userMapping = batchTriggerRequest({ trigger: 'user', triggeredBy: user.email, portfolioId, calculationDate: calculateDto.calculation_date });
// @ts-expect-error user route: the DTO's calculation_date is not the portfolio id
void batchTriggerRequest({ trigger: 'user', triggeredBy: user.email, portfolioId: calculateDto.calculation_date });
// @ts-expect-error user route: the path's portfolio id is not the calculation date
void batchTriggerRequest({ trigger: 'user', triggeredBy: user.email, portfolioId, calculationDate: portfolioId });
// @ts-expect-error user route: a date where the path's portfolio id goes
void userRoutes.calculate(user, date, calculateDto);
// @ts-expect-error user route: a raw path string is not a portfolio id
void userRoutes.calculate(user, text, calculateDto);
// @ts-expect-error user route: run id and portfolio id swapped
void userRoutes.status(user, runId, portfolioId);
