import { Body, Controller, Get, HttpCode, Next, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedUser } from '../../auth/authenticated-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { ApiErrors } from '../../common/api-errors';
import type { BatchRunId } from '../../common/branded';
import { BatchRunIdParam } from '../../common/branded-input';
import { AdminRunStartedResponse } from '../batch.responses';
import { BatchScheduler } from '../batch-scheduler';
import { CoverageResponse, ScheduleResponse, ScheduleUpdateResponse } from './operations.responses';
import { CoverageQuery, RerunPhaseDto, RunEventsQuery, ScheduleUpdateDto } from './operations.dto';
import { MarketDataCoverage } from '../coverage/market-data-coverage';
import { PhaseRerunService } from './phase-rerun.service';
import { eventLine, RunEventLogReader } from './run-event-log';

/** Operator controls (issue 11 item 4): phase re-run, the schedule, data coverage, a run's event log. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin')
export class AdminOperationsController {
  constructor(
    private readonly reruns: PhaseRerunService,
    private readonly scheduler: BatchScheduler,
    private readonly coverage: MarketDataCoverage,
    private readonly events: RunEventLogReader,
  ) {}

  @Post('batch/runs/:id/rerun')
  @HttpCode(202)
  @ApiOperation({
    summary: "Re-run one phase of a finished run, for its dates and portfolios (the other phases show `skipped`)",
    description: '409 naming the run while it is still queued or running, or naming the active run that covers the same portfolios.',
  })
  @ApiAcceptedResponse({ type: AdminRunStartedResponse })
  @ApiErrors(400, 404, 409)
  async rerun(@CurrentUser() admin: AuthenticatedUser, @BatchRunIdParam() id: BatchRunId, @Body() dto: RerunPhaseDto) {
    const run = await this.reruns.rerun(id, dto.phase, { trigger: 'admin', email: admin.email });
    return { status: 'started', batch_run_id: run.batch_run_id, triggered_by: run.triggered_by, run };
  }

  @Get('batch/schedule')
  @ApiOperation({ summary: 'The nightly schedule: paused or not, its cron and next firing, the dates skipped while paused' })
  @ApiOkResponse({ type: ScheduleResponse })
  schedule() {
    return this.scheduler.view();
  }

  @Put('batch/schedule')
  @ApiOperation({
    summary: 'Pause or resume the nightly schedule (persisted, every instance)',
    description: 'A firing while paused is skipped (logged, its date listed in `skipped_dates`); resuming catches the skipped dates up at once.',
  })
  @ApiOkResponse({ type: ScheduleUpdateResponse })
  @ApiErrors(400)
  async setSchedule(@CurrentUser() admin: AuthenticatedUser, @Body() dto: ScheduleUpdateDto) {
    if (dto.paused) return { ...(await this.scheduler.pause(admin.email)), catch_up_run_id: null };
    const { view, run } = await this.scheduler.resume(admin.email);
    return { ...view, catch_up_run_id: run?.batch_run_id ?? null };
  }

  @Get('market-data/coverage')
  @ApiOperation({
    summary: 'Held symbols (and factor ETFs) without a close on a date: missing, or stale (last close > 5 trading days before), per portfolio',
  })
  @ApiOkResponse({ type: CoverageResponse })
  @ApiErrors(400)
  coverageReport(@Query() q: CoverageQuery) {
    return this.coverage.report(MarketDataCoverage.resolveDate(q.date));
  }

  /**
   * The stored event log shares its path with the live status stream (SSE,
   * BatchEventsController): with `format` it is answered here, without it the
   * request goes on to the stream. Documented on the stream's operation.
   */
  @Get('batch/runs/:id/events')
  @ApiExcludeEndpoint()
  async eventLog(@BatchRunIdParam() id: BatchRunId, @Query() q: RunEventsQuery, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    if (!q.format) return next();
    const page = await this.events.page(id, { afterId: q.after_id, limit: q.limit });
    if (q.format === 'json') {
      res.status(200).json(page);
      return;
    }
    res.status(200).type('text/plain; charset=utf-8');
    if (page.next_after_id !== null) res.setHeader('X-Next-After-Id', String(page.next_after_id));
    res.send(page.events.map((e) => `${eventLine(e)}\n`).join(''));
  }
}
