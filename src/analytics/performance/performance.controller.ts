import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors';
import type { AuthenticatedUser } from '../../auth/authenticated-user';
import { CurrentUser } from '../../auth/decorators';
import type { PortfolioId } from '../../common/branded';
import { PortfolioIdParam } from '../../common/branded-input';
import { PortfoliosService } from '../../portfolios/portfolios.service';
import { PerformanceQuery, PerformanceView } from './performance.dto';
import { PerformanceService } from './performance.service';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('portfolio')
export class PerformanceController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly performance: PerformanceService,
  ) {}

  @Get(':id/performance')
  @ApiOperation({ summary: 'Time- and money-weighted performance vs a benchmark over a range or period shortcut (DESIGN §8)' })
  @ApiOkResponse({ type: PerformanceView })
  @ApiErrors(404)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() portfolioId: PortfolioId,
    @Query() q: PerformanceQuery,
  ): Promise<PerformanceView> {
    await this.portfolios.getOwned(user.id, portfolioId);
    return this.performance.report(portfolioId, q);
  }
}
