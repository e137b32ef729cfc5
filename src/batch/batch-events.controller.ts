import { Controller, MessageEvent, Param, ParseUUIDPipe, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { asBatchRunId, asPortfolioId } from '../common/branded';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { BatchEventsService } from './batch-events.service';
import { BatchService } from './batch.service';

const uuid = new ParseUUIDPipe();

const STREAM_DOC =
  'Server-Sent Events: `status` (the batch-run view) whenever status, phase or progress changes, the first one at once; ' +
  '`final` (the view in its final state), then the stream ends (close your EventSource on it); `ping` after 15 s without a change; ' +
  '`shutdown` when the server stops (reconnect). Works whichever process does the work.';

const EVENT_STREAM = {
  description: 'An event stream; each `data:` line is the batch-run view as JSON',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

/** Live status of batch runs (the polling routes' push counterparts). */
@ApiTags('batch')
@ApiBearerAuth()
@Controller()
export class BatchEventsController {
  constructor(
    private readonly batch: BatchService,
    private readonly portfolios: PortfoliosService,
    private readonly events: BatchEventsService,
  ) {}

  @Sse('portfolio/:id/batch-status/:runId/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live status of a run covering this portfolio (owner only)', description: STREAM_DOC })
  @ApiOkResponse(EVENT_STREAM)
  @ApiErrors(404)
  async portfolioRun(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Param('runId', uuid) runId: string): Promise<Observable<MessageEvent>> {
    await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return this.events.watch(await this.batch.viewForPortfolio(asBatchRunId(runId), asPortfolioId(id)));
  }

  @Sse('admin/batch/runs/:id/events')
  @Roles('admin')
  @ApiTags('admin')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live status of any run (admin)', description: STREAM_DOC })
  @ApiOkResponse(EVENT_STREAM)
  @ApiErrors(404)
  async adminRun(@Param('id', uuid) id: string): Promise<Observable<MessageEvent>> {
    return this.events.watch(await this.batch.view(asBatchRunId(id)));
  }
}
