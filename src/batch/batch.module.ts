import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AnalyticsModule } from '../analytics/analytics.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { AdminBatchController } from './admin-batch.controller';
import { BatchEventsController } from './batch-events.controller';
import { BatchEventsService } from './batch-events.service';
import { BatchEventLog } from './batch-event-log';
import { BatchLifecycle } from './batch-lifecycle';
import { BatchOrchestrator } from './batch-orchestrator';
import { BatchQueue } from './batch-queue';
import { BatchRunTracker } from './batch-run-tracker';
import { BatchRunRepository } from './batch-run.repository';
import { BatchScheduler } from './batch-scheduler';
import { BatchWorkRepository } from './batch-work.repository';
import { LedgerScopeRepository } from './ledger-scope.repository';
import { LedgerTailReader } from './ledger-tail.reader';
import { LedgerSource } from './phases/ledger-source';
import { BatchService } from './batch.service';
import { MarketDataPhase } from './phases/market-data.phase';
import { PriceWindowCache } from './phases/price-window.cache';
import { RiskPhase } from './phases/risk.phase';
import { SnapshotPhase } from './phases/snapshot.phase';
import { UserBatchController } from './user-batch.controller';
import { DayHoldingsCache } from './phases/day-holdings.cache';
import { MarketDataCoverage } from './coverage/market-data-coverage';
import { AdminOperationsController } from './operations/admin-operations.controller';
import { BatchRetention } from './operations/batch-retention';
import { BatchScheduleRepository } from './operations/batch-schedule.repository';
import { PhaseRerunService } from './operations/phase-rerun.service';
import { RunEventLogReader } from './operations/run-event-log';
import { BatchProcess } from './batch-process';
import { ChunkLeaseRepository } from './chunk-lease.repository';
import { ChunkWorker } from './chunk-worker';
import { LeaseKeeper } from './lease-keeper';
import { RunAdvancer } from './run-advancer';
import { RunStateRepository } from './run-state.repository';

@Module({
  imports: [ScheduleModule.forRoot(), PortfoliosModule, MarketDataModule, AnalyticsModule, LedgerModule],
  // AdminOperationsController before BatchEventsController: its event-log route hands requests without `format` on to the stream
  controllers: [UserBatchController, AdminBatchController, AdminOperationsController, BatchEventsController],
  providers: [
    BatchService,
    BatchOrchestrator,
    BatchRunTracker,
    BatchRunRepository,
    BatchWorkRepository,
    LedgerScopeRepository,
    LedgerTailReader,
    LedgerSource,
    BatchQueue,
    BatchScheduler,
    BatchLifecycle,
    BatchEventsService,
    BatchEventLog,
    MarketDataPhase,
    SnapshotPhase,
    RiskPhase,
    PriceWindowCache,
    DayHoldingsCache,
    BatchScheduleRepository,
    PhaseRerunService,
    RunEventLogReader,
    MarketDataCoverage,
    BatchRetention,
    BatchProcess,
    ChunkLeaseRepository,
    ChunkWorker,
    LeaseKeeper,
    RunAdvancer,
    RunStateRepository,
  ],
  exports: [BatchService, BatchOrchestrator, BatchRunTracker, BatchScheduler, BatchQueue, BatchEventsService, BatchEventLog],
})
export class BatchModule {}
