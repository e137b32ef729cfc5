import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { BatchModule } from '../batch/batch.module';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AlertStreamService } from './alert-stream.service';
import { LimitsController } from './limits.controller';
import { LimitsEvaluator } from './limits-evaluator';
import { LimitsStore } from './limits.store';

/** Risk limits per portfolio, evaluated after each batch run; the alerts they raise, on SSE and (through the outbox) webhooks. */
@Module({
  imports: [PortfoliosModule, AnalyticsModule, BatchModule, WebhooksModule],
  controllers: [LimitsController],
  providers: [LimitsStore, LimitsEvaluator, AlertStreamService],
  exports: [LimitsEvaluator],
})
export class LimitsModule {}
