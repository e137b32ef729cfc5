import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors';
import { isUuid } from '../common/branded';
import { badRequest, notFound } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { newWebhookSecret } from './webhook-signature';
import { webhookUrlProblem } from './webhook-target';
import { WebhookStore } from './webhook.store';
import { CreateWebhookDto, DeliveriesQuery } from './webhooks.dto';
import { CreatedWebhookResponse, DeliveryResponse, WebhookResponse } from './webhooks.responses';

/** Most webhooks one user may register. */
export const MAX_WEBHOOKS_PER_USER = 20;

const webhookId = (id: string): string => {
  if (!isUuid(id)) throw notFound('Webhook');
  return id.toLowerCase();
};

/** A user's webhooks (per user: nobody else sees or deletes them). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly store: WebhookStore,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook; the answer carries its signing secret, shown once',
    description:
      'Each delivery is a JSON POST `{id, type, created_at, portfolio_id, data}` with headers `X-SigmaSight-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, ' +
      '`X-SigmaSight-Timestamp` (unix seconds), `X-SigmaSight-Event`, `Idempotency-Key` / `X-SigmaSight-Event-Id` (the event id: dedupe on it, delivery is at least once) ' +
      'and `X-SigmaSight-Delivery`. Any 2xx is success; anything else, a timeout or a redirect is retried with exponential backoff.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiErrors(400)
  async create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const problem = webhookUrlProblem(dto.url, this.settings.webhookAllowPrivateTargets);
    if (problem) throw badRequest(problem, { errors: [{ field: 'url', message: problem }] });
    if ((await this.store.count(user.id)) >= MAX_WEBHOOKS_PER_USER) throw badRequest(`at most ${MAX_WEBHOOKS_PER_USER} webhooks per user: delete one first`);
    const secret = newWebhookSecret();
    const created = await this.store.create(user.id, dto.url, dto.events, secret);
    return { ...created, secret };
  }

  @Get()
  @ApiOperation({ summary: "The caller's webhooks (without their secrets)" })
  @ApiOkResponse({ type: [WebhookResponse] })
  list(@CurrentUser() user: AuthenticatedUser): Promise<WebhookResponse[]> {
    return this.store.list(user.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Delete a webhook with its delivery log; pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.store.delete(user.id, webhookId(id));
  }

  @Get(':id/deliveries')
  @ApiParam({ name: 'id', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Delivery log of a webhook, newest first: each attempt with status code, error and duration, and the next retry' })
  @ApiOkResponse({ type: [DeliveryResponse] })
  @ApiErrors(400, 404)
  deliveries(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() q: DeliveriesQuery): Promise<DeliveryResponse[]> {
    return this.store.deliveries(user.id, webhookId(id), q.limit ?? 50);
  }
}
