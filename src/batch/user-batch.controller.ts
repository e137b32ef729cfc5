import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { BatchRunResponse, CalculateAcceptedResponse } from './batch.responses';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import type { BatchRunId, PortfolioId } from '../common/branded';
import { BatchRunIdParam, PortfolioIdParam } from '../common/branded-input';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { BatchService } from './batch.service';
import { CalculateDto } from './batch.dto';
import { batchTriggerRequest } from './batch-trigger-request';

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
  async calculate(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() portfolioId: PortfolioId, @Body() dto: CalculateDto) {
    await this.portfolios.getOwned(user.id, portfolioId);
    const run = await this.batch.trigger(
      batchTriggerRequest({ trigger: 'user', triggeredBy: user.email, portfolioId, calculationDate: dto.calculation_date }),
    );
    return {
      status: 'accepted',
      batch_run_id: run.batch_run_id,
      calculation_date: run.calculation_date,
      poll_url: `/api/v1/portfolio/${portfolioId}/batch-status/${run.batch_run_id}`,
    };
  }

  @Get(':id/batch-status/:runId')
  @ApiOperation({ summary: 'Status of a run covering this portfolio (only this portfolio owner\'s part of a shared run)' })
  @ApiOkResponse({ type: BatchRunResponse })
  @ApiErrors(404)
  async status(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @BatchRunIdParam('runId') runId: BatchRunId) {
    await this.portfolios.getOwned(user.id, id);
    return this.batch.viewForPortfolio(runId, id, user);
  }

  @Get(':id/batch-runs')
  @ApiOperation({ summary: "The portfolio's recent runs (its own and all-portfolio runs), newest first" })
  @ApiOkResponse({ type: [BatchRunResponse] })
  @ApiErrors(404)
  async runs(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    await this.portfolios.getOwned(user.id, id);
    return this.batch.listForPortfolio(id, user, { limit: 20, offset: 0 });
  }
}
