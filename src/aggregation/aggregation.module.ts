import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { AggregationController } from './aggregation.controller';
import { AggregationService } from './aggregation.service';
import { AggregationStore } from './aggregation.store';

/** GET /portfolio/aggregate: several portfolios as one book. */
@Module({
  imports: [AnalyticsModule, MarketDataModule, PortfoliosModule],
  controllers: [AggregationController],
  providers: [AggregationStore, AggregationService],
})
export class AggregationModule {}
