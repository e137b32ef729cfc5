import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../auth/authenticated-user';
import { CurrentUser } from '../../auth/decorators';
import { ApiErrors } from '../../common/api-errors';
import type { PortfolioId } from '../../common/branded';
import { PortfolioIdParam } from '../../common/branded-input';
import { notFound } from '../../common/errors';
import { PortfoliosService } from '../../portfolios/portfolios.service';
import { AnalyticsQuery } from '../analytics.dto';
import type { RiskRecord } from '../calculators/risk-types';
import { RiskStore } from '../risk.store';
import { ExposuresResponse } from './exposures.responses';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('portfolio')
export class ExposuresController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly risk: RiskStore,
  ) {}

  @Get(':id/exposures')
  @ApiOperation({ summary: 'Long/short/gross/net exposure by sector (beside the S&P 500), industry, country, asset class and tag, from the risk record of the latest calculated date (or ?date=)' })
  @ApiOkResponse({ type: ExposuresResponse })
  @ApiErrors(404)
  async exposures(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: AnalyticsQuery) {
    await this.portfolios.getOwned(user.id, id);
    const stored = await this.risk.latest(id, q.date ?? null);
    if (!stored && q.date) throw notFound(`Exposures for ${q.date}`);
    if (!stored) return { as_of: null, exposures: null, reason: 'not calculated yet: POST /api/v1/portfolio/{id}/calculate' };
    const exposures = (stored.metrics as RiskRecord).exposures;
    if (!exposures) return { as_of: stored.calculation_date, exposures: null, reason: 'calculated before exposures existed: recalculate the date' };
    return { as_of: stored.calculation_date, exposures };
  }
}
