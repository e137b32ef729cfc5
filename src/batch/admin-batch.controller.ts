import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { ADMIN_RUN_BODY_SCHEMA, AdminRunStartedResponse, BatchRunDetailResponse, BatchRunResponse, CurrentRunsResponse, RunListResponse } from './batch.responses';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { asBatchRunId, asCalendarDate, asPortfolioId } from '../common/branded';
import { BatchService } from './batch.service';
import { AdminRunDto, ListRunsQuery } from './batch.dto';

const uuid = new ParseUUIDPipe();
const date = (v?: string) => (v ? asCalendarDate(v) : undefined);

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
    const run = await this.batch.trigger({
      trigger: 'admin',
      triggeredBy: admin.email,
      portfolioId: dto.portfolio_id ? asPortfolioId(dto.portfolio_id) : undefined,
      calculationDate: date(dto.calculation_date),
      startDate: date(dto.start_date),
      endDate: date(dto.end_date),
      force: dto.force,
    });
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
  detail(@Param('id', uuid) id: string) {
    return this.batch.detail(asBatchRunId(id));
  }

  @Post('runs/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel: a queued run at once, a running one between portfolios and phases' })
  @ApiAcceptedResponse({ type: BatchRunResponse })
  @ApiErrors(404, 409)
  cancel(@CurrentUser() admin: AuthenticatedUser, @Param('id', uuid) id: string) {
    return this.batch.cancel(asBatchRunId(id), admin.email);
  }
}
