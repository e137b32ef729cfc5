import { Module } from '@nestjs/common';
import { MarketDataModule } from '../market-data/market-data.module';
import { LedgerEntryService } from './ledger-entry.service';
import { LedgerFactsLoader } from './ledger-facts.loader';
import { LedgerReplayService } from './ledger-replay.service';
import { LedgerWriter } from './ledger.writer';
import { PortfolioAccess } from './portfolio-access';
import { PortfolioLedgerReader } from './portfolio-ledger.reader';
import { TransactionStore } from './transaction.store';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';
// a plain store over position_tags; provided here too because PortfoliosModule imports LedgerModule (no cycle)
import { PositionTagStore } from '../portfolios/position-tag.store';

/**
 * The ledger (DESIGN §8): transactions and their routes, lots and realized
 * P&L, and the set-based readers and writers the portfolios and the batch use.
 */
@Module({
  imports: [MarketDataModule],
  controllers: [TransactionsController],
  providers: [PortfolioLedgerReader, LedgerFactsLoader, LedgerWriter, LedgerReplayService, LedgerEntryService, PortfolioAccess, TransactionStore, TransactionsService, PositionTagStore],
  exports: [PortfolioLedgerReader, LedgerFactsLoader, LedgerWriter, LedgerReplayService, LedgerEntryService],
})
export class LedgerModule {}
