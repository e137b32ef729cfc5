import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { BatchModule } from '../batch/batch.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [BatchModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAuthGuard],
  exports: [MetricsService],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // every route under the global prefix (/metrics and /health, outside it, are not timed)
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
