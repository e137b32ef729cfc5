import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { AnalyticsController } from './analytics.controller';
import { RiskStore } from './risk.store';
import { SnapshotStore } from './snapshot.store';

@Module({
  imports: [PortfoliosModule],
  controllers: [AnalyticsController],
  providers: [SnapshotStore, RiskStore],
  exports: [SnapshotStore, RiskStore],
})
export class AnalyticsModule {}
