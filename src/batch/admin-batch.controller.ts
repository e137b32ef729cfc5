import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { ADMIN_RUN_BODY_SCHEMA, AdminRunStartedResponse, BatchRunDetailResponse, BatchRunResponse, CurrentRunsResponse, RunListResponse } from './batch.responses';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import type { BatchRunId } from '../common/branded';
import { BatchRunIdParam } from '../common/branded-input';
import { BatchService } from './batch.service';
import { AdminRunDto, ListRunsQuery } from './batch.dto';
import { batchTriggerRequest } from './batch-trigger-request';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/batch')
export class AdminBatchController {
  constructor(private readonly batch: BatchService) {}

  @Post('run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a batch: all portfolios (default) or one; one date (default latest) or a backfill range' })
  @ApiBody({ required: false, schema: ADMIN_RUN_BODY_SCHEMA })
  @ApiAcceptedResponse({ type: AdminRunStartedResponse })
  @ApiErrors(404, 409)
  async run(@CurrentUser() admin: AuthenticatedUser, @Body() dto: AdminRunDto = {}) {
    const run = await this.batch.trigger(
      batchTriggerRequest({
        trigger: 'admin',
        triggeredBy: admin.email,
        portfolioId: dto.portfolio_id,
        calculationDate: dto.calculation_date,
        startDate: dto.start_date,
        endDate: dto.end_date,
        force: dto.force,
      }),
    );
    return { status: 'started', batch_run_id: run.batch_run_id, triggered_by: run.triggered_by, run };
  }

  @Get('runs')
  @ApiOperation({ summary: 'Run history, newest first' })
  @ApiOkResponse({ type: RunListResponse })
  async list(@Query() q: ListRunsQuery) {
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const { total, runs } = await this.batch.list({ status: q.status, limit, offset });
    return { total, limit, offset, runs };
  }

  @Get('current')
  @ApiOperation({ summary: 'Queued and running runs' })
  @ApiOkResponse({ type: CurrentRunsResponse })
  async current() {
    return { runs: await this.batch.current() };
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One run with per-portfolio results and errors (failures first)' })
  @ApiOkResponse({ type: BatchRunDetailResponse })
  @ApiErrors(404)
  detail(@BatchRunIdParam() id: BatchRunId) {
    return this.batch.detail(id);
  }

  @Post('runs/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel: a queued run at once, a running one between portfolios and phases' })
  @ApiAcceptedResponse({ type: BatchRunResponse })
  @ApiErrors(404, 409)
  cancel(@CurrentUser() admin: AuthenticatedUser, @BatchRunIdParam() id: BatchRunId) {
    return this.batch.cancel(id, admin.email);
  }
}
