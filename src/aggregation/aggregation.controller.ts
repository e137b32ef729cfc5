import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors';
import { AggregateQuery } from './aggregation.dto';
import { AggregateResponse } from './aggregation.responses';
import { AggregationService } from './aggregation.service';

/**
 * Registered before the portfolio routes (AggregationModule comes first in
 * AppModule) so that `/portfolio/aggregate` is not taken for `/portfolio/:id`.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('portfolio')
export class AggregationController {
  constructor(private readonly aggregation: AggregationService) {}

  @Get('aggregate')
  @ApiOperation({ summary: 'Several of your portfolios as one book: combined snapshot, risk (every section) and performance' })
  @ApiOkResponse({ type: AggregateResponse })
  @ApiErrors(400, 404)
  async aggregate(@CurrentUser() user: AuthenticatedUser, @Query() q: AggregateQuery): Promise<AggregateResponse> {
    const ids = await this.aggregation.resolveIds(user.id, q.ids);
    return (await this.aggregation.aggregate(ids)) as unknown as AggregateResponse;
  }
}
