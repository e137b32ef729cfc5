import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AggregationModule } from './aggregation/aggregation.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { HttpErrorFilter } from './common/http-exception.filter';
import { ConfigModule } from './config/config.module';
import type { AppSettings } from './config/settings';
import { DatabaseModule } from './database/database.module';
import { DemoSeedModule } from './database/demo-seed.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { LimitsModule } from './limits/limits.module';
import { MarketDataModule } from './market-data/market-data.module';
import { MetricsModule } from './metrics/metrics.module';
import { PortfoliosModule } from './portfolios/portfolios.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface AppModuleOptions {
  settings: AppSettings;
  /** Resolved URL: DATABASE_URL or the embedded server's. */
  databaseUrl: string;
  /** True when running on the embedded database (demo data is seeded on first start). */
  embedded: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.settings),
        DatabaseModule.forRoot(options.databaseUrl, 'sigmasight', options.embedded),
        // first: its GET /portfolio/aggregate must be routed before PortfoliosModule's /portfolio/:id
        AggregationModule,
        UsersModule,
        AuthModule,
        PortfoliosModule,
        LedgerModule,
        MarketDataModule,
        AnalyticsModule,
        BatchModule,
        WebhooksModule,
        LimitsModule,
        HealthModule,
        MetricsModule,
        DemoSeedModule.forRoot(options.embedded),
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
