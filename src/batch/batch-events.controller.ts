import { Controller, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import type { BatchRunId, PortfolioId } from '../common/branded';
import { BatchRunIdParam, PortfolioIdParam } from '../common/branded-input';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { BatchEventsService } from './batch-events.service';
import { BatchService } from './batch.service';
import { EVENT_FORMATS } from './operations/operations.dto';
import { RunEventPageResponse } from './operations/operations.responses';
import { EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX } from './operations/run-event-log';

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
  @ApiOperation({ summary: "Live status of a run covering this portfolio (owner only; only the owner's part of a shared run)", description: STREAM_DOC })
  @ApiOkResponse(EVENT_STREAM)
  @ApiErrors(404)
  async portfolioRun(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() id: PortfolioId,
    @BatchRunIdParam('runId') runId: BatchRunId,
  ): Promise<Observable<MessageEvent>> {
    await this.portfolios.getOwned(user.id, id);
    const initial = await this.batch.viewForPortfolio(runId, id, user);
    return this.events.watch(initial, async (view) => (await this.batch.scopeForViewer([view], user))[0]);
  }

  // with `format`, AdminOperationsController answers this path (the stored event log); documented here, one operation per path
  @Sse('admin/batch/runs/:id/events')
  @Roles('admin')
  @ApiTags('admin')
  @ApiProduces('text/event-stream', 'application/json', 'text/plain')
  @ApiOperation({
    summary: 'Live status of any run (admin), or with `format` its stored event log',
    description:
      `Without \`format\`: ${STREAM_DOC}\n\nWith \`format=json\`: a page of the run's event log (phases, chunk takeovers, retries, errors), oldest first; ` +
      `\`format=text\`: the same as plain lines (header \`X-Next-After-Id\` when there is more). Page with \`after_id\` and \`limit\` (≤ ${EVENT_PAGE_MAX}).`,
  })
  @ApiQuery({ name: 'format', required: false, enum: EVENT_FORMATS })
  @ApiQuery({ name: 'after_id', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: EVENT_PAGE_MAX, default: EVENT_PAGE_DEFAULT } })
  @ApiExtraModels(RunEventPageResponse)
  @ApiOkResponse({
    description: 'The live stream, or the event log (format=json|text)',
    content: {
      ...EVENT_STREAM.content,
      'application/json': { schema: { $ref: getSchemaPath(RunEventPageResponse) } },
      'text/plain': { schema: { type: 'string', description: 'One event per line: time, level, kind, [date phase chunk], (process), message, details' } },
    },
  })
  @ApiErrors(400, 404)
  async adminRun(@BatchRunIdParam() id: BatchRunId): Promise<Observable<MessageEvent>> {
    return this.events.watch(await this.batch.view(id));
  }
}
