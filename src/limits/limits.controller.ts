import { Body, Controller, Get, Headers, MessageEvent, Put, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors';
import type { PortfolioId } from '../common/branded';
import { PortfolioIdParam } from '../common/branded-input';
import { badRequest } from '../common/errors';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { AlertStreamService } from './alert-stream.service';
import { limitProblems } from './limit-rules';
import { AlertEventsQuery, AlertsQuery, LimitsDto } from './limits.dto';
import { AlertResponse, LimitsResponse } from './limits.responses';
import { LimitsStore } from './limits.store';

const STREAM_DOC =
  "Server-Sent Events of the caller's notifications, whichever process recorded them: `alert.opened`, `alert.resolved`, `batch.completed` " +
  '(each `data` is the webhook body `{id, type, created_at, portfolio_id, data}`; the SSE `id` is the event sequence). First `ready` (the current ' +
  'sequence), `ping` after 15 s without an event, `end` after `max_seconds`, `shutdown` when the server stops. Reconnect with `Last-Event-ID` ' +
  '(an EventSource does) to resume without a gap.';

@ApiTags('limits')
@ApiBearerAuth()
@Controller()
export class LimitsController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly store: LimitsStore,
    private readonly stream: AlertStreamService,
  ) {}

  @Get('portfolio/:id/limits')
  @ApiOperation({ summary: "The portfolio's risk limits (every field; null = not set)" })
  @ApiOkResponse({ type: LimitsResponse })
  @ApiErrors(404)
  async get(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId): Promise<LimitsResponse> {
    await this.portfolios.getOwned(user.id, id);
    return { portfolio_id: id, ...(await this.store.get(id)) };
  }

  @Put('portfolio/:id/limits')
  @ApiOperation({
    summary: 'Replace the risk limits (a limit left out or null is removed); evaluated after every batch run covering the portfolio',
    description:
      'VaR limits in percent of total value (like `risk.var.var_95_pct`); `volatility_max` on the annualised 63-day volatility (fraction); ' +
      '`max_drawdown_min` ≤ 0 (fraction); `gross_exposure_max` and `net_exposure_min/max` as multiples of total value; ' +
      '`top_position_weight_max` and `sector_weight_max` as shares of gross exposure (0..1]; `beta_min/max` on the 90-day beta to SPY. ' +
      'Every impossible value (negative VaR, a weight outside 0..1, a min above its max…) is listed in one 400.',
  })
  @ApiOkResponse({ type: LimitsResponse })
  @ApiErrors(400, 404)
  async put(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: LimitsDto): Promise<LimitsResponse> {
    await this.portfolios.getOwned(user.id, id);
    const problems = limitProblems(dto);
    if (problems.length) throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems });
    await this.store.replace(id, dto);
    return { portfolio_id: id, ...(await this.store.get(id)) };
  }

  @Get('portfolio/:id/alerts')
  @ApiOperation({ summary: 'Limit breaches with their lifecycle (opened, still open: last_seen_*, resolved); open ones first, newest first' })
  @ApiOkResponse({ type: [AlertResponse] })
  @ApiErrors(400, 404)
  async alerts(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: AlertsQuery): Promise<AlertResponse[]> {
    await this.portfolios.getOwned(user.id, id);
    return this.store.alerts(id, q.status ?? 'all', q.limit ?? 100);
  }

  @Sse('alerts/events')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event (sent by a reconnecting EventSource)' })
  @ApiOperation({ summary: "Live alerts of the caller's portfolios (SSE)", description: STREAM_DOC })
  @ApiOkResponse({ description: 'An event stream; each `data:` line is JSON', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrors(400, 404)
  async events(@CurrentUser() user: AuthenticatedUser, @Query() q: AlertEventsQuery, @Headers('last-event-id') lastEventId?: string): Promise<Observable<MessageEvent>> {
    if (q.portfolio_id) await this.portfolios.getOwned(user.id, q.portfolio_id);
    let since = q.since ?? null;
    if (since === null && lastEventId !== undefined) {
      if (!/^\d{1,15}$/.test(lastEventId)) throw badRequest('Last-Event-ID must be an event id (digits)');
      since = Number(lastEventId);
    }
    return this.stream.watch(user.id, q.portfolio_id ?? null, since, q.max_seconds ?? 3600);
  }
}
