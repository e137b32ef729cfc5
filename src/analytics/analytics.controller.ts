import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { AnalyticsResponse, SnapshotListItemResponse } from './analytics.responses';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import type { PortfolioId } from '../common/branded';
import { PortfolioIdParam } from '../common/branded-input';
import { badRequest, notFound } from '../common/errors';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { AnalyticsQuery, SnapshotsQuery } from './analytics.dto';
import { DecompositionResponse } from './decomposition.responses';
import { RiskStore } from './risk.store';
import { SnapshotStore } from './snapshot.store';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('portfolio')
export class AnalyticsController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly snapshots: SnapshotStore,
    private readonly risk: RiskStore,
  ) {}

  @Get(':id/snapshots')
  @ApiOperation({ summary: 'Daily snapshots, oldest first, optionally within [from, to]' })
  @ApiOkResponse({ type: [SnapshotListItemResponse] })
  @ApiErrors(404)
  async list(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: SnapshotsQuery) {
    await this.portfolios.getOwned(user.id, id);
    if (q.from && q.to && q.from > q.to) throw badRequest(`from ${q.from} is after to ${q.to}`);
    return this.snapshots.list(id, q.from ?? null, q.to ?? null);
  }

  @Get(':id/analytics')
  @ApiOperation({ summary: 'Snapshot and risk record of the latest calculated date (or ?date=)' })
  @ApiOkResponse({ type: AnalyticsResponse })
  @ApiErrors(404)
  async analytics(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: AnalyticsQuery) {
    const portfolioId = id;
    await this.portfolios.getOwned(user.id, portfolioId);
    const date = q.date ?? null;
    const snapshot = await this.snapshots.latest(portfolioId, date);
    if (!snapshot) {
      if (date) throw notFound(`Analytics for ${date}`);
      return { as_of: null, stale: false, snapshot: null, risk: null, reason: 'not calculated yet: POST /api/v1/portfolio/{id}/calculate' };
    }
    const risk = await this.risk.latest(portfolioId, snapshot.snapshot_date);
    const { portfolio_id: _omit, ...snapshotView } = snapshot;
    // stale: a transaction on or before this date changed since it was calculated; the next run recomputes it
    return { as_of: snapshot.snapshot_date, stale: snapshot.stale, snapshot: snapshotView, risk: risk?.metrics ?? null };
  }

  @Get(':id/risk/decomposition')
  @ApiOperation({ summary: 'Euler risk decomposition of the latest risk record (or ?date=): positions, sectors, tags, factor share' })
  @ApiOkResponse({ type: DecompositionResponse })
  @ApiErrors(404)
  async decomposition(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: AnalyticsQuery): Promise<DecompositionResponse> {
    await this.portfolios.getOwned(user.id, id);
    const record = await this.risk.latest(id, q.date ?? null);
    if (!record) {
      if (q.date) throw notFound(`Risk record for ${q.date}`);
      return { as_of: null, decomposition: null, reason: 'not calculated yet: POST /api/v1/portfolio/{id}/calculate' };
    }
    const metrics = record.metrics as { decomposition?: Record<string, unknown> | null; reasons?: Record<string, string> };
    const decomposition = metrics.decomposition ?? null;
    if (decomposition) return { as_of: record.calculation_date, decomposition };
    const reason = metrics.decomposition === undefined ? 'calculated before the decomposition existed: recalculate' : (metrics.reasons?.decomposition ?? 'unavailable');
    return { as_of: record.calculation_date, decomposition: null, reason };
  }
}
