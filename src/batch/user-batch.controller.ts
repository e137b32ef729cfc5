import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { BatchRunResponse, CalculateAcceptedResponse } from './batch.responses';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { asBatchRunId, asCalendarDate, asPortfolioId } from '../common/branded';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { BatchService } from './batch.service';
import { CalculateDto } from './batch.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('batch')
@ApiBearerAuth()
@Controller('portfolio')
export class UserBatchController {
  constructor(
    private readonly batch: BatchService,
    private readonly portfolios: PortfoliosService,
  ) {}

  @Post(':id/calculate')
  @HttpCode(202)
  @ApiOperation({ summary: 'Recalculate one portfolio; poll poll_url. 409 while a run covering it is active.' })
  @ApiAcceptedResponse({ type: CalculateAcceptedResponse })
  @ApiErrors(404, 409)
  async calculate(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Body() dto: CalculateDto) {
    const portfolioId = asPortfolioId(id);
    await this.portfolios.getOwned(user.id, portfolioId);
    const run = await this.batch.trigger({
      trigger: 'user',
      triggeredBy: user.email,
      portfolioId,
      calculationDate: dto.calculation_date ? asCalendarDate(dto.calculation_date) : undefined,
    });
    return {
      status: 'accepted',
      batch_run_id: run.batch_run_id,
      calculation_date: run.calculation_date,
      poll_url: `/api/v1/portfolio/${id}/batch-status/${run.batch_run_id}`,
    };
  }

  @Get(':id/batch-status/:runId')
  @ApiOperation({ summary: 'Status of a run covering this portfolio' })
  @ApiOkResponse({ type: BatchRunResponse })
  @ApiErrors(404)
  async status(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Param('runId', uuid) runId: string) {
    await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return this.batch.viewForPortfolio(asBatchRunId(runId), asPortfolioId(id));
  }

  @Get(':id/batch-runs')
  @ApiOperation({ summary: "The portfolio's recent runs (its own and all-portfolio runs), newest first" })
  @ApiOkResponse({ type: [BatchRunResponse] })
  @ApiErrors(404)
  async runs(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string) {
    await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return (await this.batch.list({ portfolioId: asPortfolioId(id), limit: 20, offset: 0 })).runs;
  }
}
