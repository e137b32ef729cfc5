import { Module } from '@nestjs/common';
import { MarketDataModule } from '../market-data/market-data.module';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { AnalyticsController } from './analytics.controller';
import { ExposuresController } from './exposures/exposures.controller';
import { DayMetricsReader } from './day-metrics.reader';
import { PerformanceHistoryStore } from './performance/performance-history.store';
import { PerformanceController } from './performance/performance.controller';
import { PerformanceService } from './performance/performance.service';
import { RiskStore } from './risk.store';
import { SnapshotStore } from './snapshot.store';

@Module({
  imports: [PortfoliosModule, MarketDataModule],
  controllers: [AnalyticsController, PerformanceController, ExposuresController],
  providers: [SnapshotStore, RiskStore, PerformanceHistoryStore, PerformanceService, DayMetricsReader],
  exports: [SnapshotStore, RiskStore, PerformanceService, DayMetricsReader],
})
export class AnalyticsModule {}
