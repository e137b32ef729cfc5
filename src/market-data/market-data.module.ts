import { Module } from '@nestjs/common';
import { resolve } from 'node:path';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { AdminActionsController } from './admin-actions.controller';
import { AdminPricesController } from './admin-prices.controller';
import { AdminSymbolsController } from './securities/admin-symbols.controller';
import { MARKET_DATA_PROVIDER, MarketDataService } from './market-data.service';
import { CorporateActionStore } from './corporate-action.store';
import { PriceStore } from './price-store';
import { SecurityMasterStore } from './security-master.store';
import { CsvMarketDataProvider, MarketDataProvider, PolygonMarketDataProvider, SyntheticMarketDataProvider } from './providers';

/** One provider, chosen by MARKET_DATA_PROVIDER. */
export function createMarketDataProvider(s: AppSettings): MarketDataProvider {
  switch (s.marketDataProvider) {
    case 'csv':
      return new CsvMarketDataProvider({ directory: resolve(s.marketDataCsvDir) });
    case 'polygon':
      return new PolygonMarketDataProvider({ apiKey: s.polygonApiKey!, baseUrl: s.polygonBaseUrl, maxRequestsPerMinute: s.polygonRequestsPerMinute });
    default:
      return new SyntheticMarketDataProvider({ seed: s.syntheticSeed });
  }
}

@Module({
  controllers: [AdminPricesController, AdminActionsController, AdminSymbolsController],
  providers: [PriceStore, CorporateActionStore, SecurityMasterStore, MarketDataService, { provide: MARKET_DATA_PROVIDER, inject: [SETTINGS], useFactory: createMarketDataProvider }],
  exports: [MarketDataService, PriceStore, CorporateActionStore, SecurityMasterStore],
})
export class MarketDataModule {}
