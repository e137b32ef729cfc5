import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { riskPositionOf } from '../../analytics/calculators';
import { encodeCheckpoint, PreviousSnapshot, SnapshotStore, StoredSnapshot } from '../../analytics/snapshot.store';
import type { BatchRunId, CalendarDate, PortfolioId } from '../../common/branded';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { replayLedger } from '../../ledger/engine';
import { LedgerWriter } from '../../ledger/ledger.writer';
import type { GeneratedTransaction, PortfolioLedger } from '../../ledger/ledger.types';
import { tradingDaysBetween } from '../../market-data/calendar';
import { MarketDataService } from '../../market-data/market-data.service';
import { PortfolioFailure } from '../batch-work.repository';
import { deriveSnapshots, DerivationPlan, planDerivation } from './ledger-days';
import { LedgerSource, LoadedLedger } from './ledger-source';
import { DayHoldings, DayHoldingsCache } from './day-holdings.cache';
import { ChunkOutcome } from './phase-result';
import { PriceWindowCache } from './price-window.cache';
import { WriteBehind } from './write-behind';

/** Cost of deriving books from the ledger, summed over the process's chunks (read by the bench). */
export interface LedgerDerivationCounters {
  /** Loading ledgers and their market facts. */
  loadMs: number;
  /** Replaying transactions (replayLedger, advanceTo, positions). */
  replayMs: number;
  portfolios: number;
  /** Of those, resumed from the previous snapshot's lots rather than replayed from the first transaction. */
  resumed: number;
  days: number;
}

/** The ledger as read holds a system transaction dated `from` or later (a resumed one holds every transaction after its snapshot). */
function hasSystemFrom(ledger: PortfolioLedger, from: CalendarDate): boolean {
  return ledger.transactions.some((t) => t.source === 'system' && t.date >= from);
}

/**
 * Snapshot rows held before they are written (a row carries its positions:
 * ~14 kB for 30), or portfolios booked: a nightly run books one row each,
 * written in slices that the database stores while the next is computed.
 */
const FLUSH_ROWS = 1000;
const FLUSH_PORTFOLIOS = 50;

type Plans = Map<PortfolioId, DerivationPlan & { ok: true }>;

/**
 * Phase 2 for a chunk of portfolios: snapshots from the ledger (DESIGN §8).
 * Each portfolio restarts from its latest usable snapshot before the date
 * (or its first transaction) and books every trading day through the date,
 * so no day is ever skipped and results do not depend on the order in which
 * dates were calculated. Set-based: one read of the previous snapshots, one
 * of the ledgers (resumed from those snapshots' lots where stored: see
 * LedgerSource), one price matrix, the upserts, one write of the system
 * transactions.
 */
@Injectable()
export class SnapshotPhase {
  readonly counters: LedgerDerivationCounters = { loadMs: 0, replayMs: 0, portfolios: 0, resumed: 0, days: 0 };

  constructor(
    private readonly ledgers: LedgerSource,
    private readonly writer: LedgerWriter,
    private readonly snapshots: SnapshotStore,
    private readonly prices: PriceWindowCache,
    private readonly marketData: MarketDataService,
    private readonly dayHoldings: DayHoldingsCache,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async process(runId: BatchRunId, date: CalendarDate, ids: PortfolioId[]): Promise<ChunkOutcome> {
    const previous = await this.snapshots.latestBefore(ids, date);
    const ledgers = await this.timedLoad(() => this.ledgers.load(ids, previous, date));
    const failures: PortfolioFailure[] = [];
    const fail = (portfolioId: PortfolioId, error: string) => failures.push({ portfolioId, phase: 'pnl_snapshots', date, error });
    const plans = this.plan(ids, ledgers, previous, date, fail);
    const close = await this.closes(runId, date, plans, ledgers);
    let rows: StoredSnapshot[] = [];
    let sliced = 0;
    const writes = new WriteBehind();
    const generated: Array<{ portfolioId: PortfolioId; from: CalendarDate; generated: GeneratedTransaction[] }> = [];
    const checkpoints: Array<{ portfolioId: PortfolioId; date: CalendarDate; state: string }> = [];
    const booked: Array<DayHoldings & { id: PortfolioId }> = [];
    const analytics = { riskFreeRate: this.settings.riskFreeRate, defaultImpliedVolatility: this.settings.defaultImpliedVolatility };
    for (const [id, plan] of plans) {
      const { ledger, facts, resumed } = ledgers.get(id)!;
      const d = deriveSnapshots({
        portfolioId: id, ledger, facts, replay: replayLedger, start: plan.start, end: date,
        previous: plan.previous, close, settings: analytics,
      });
      this.counters.replayMs += d.replayMs;
      if (!d.ok) {
        fail(id, d.error);
        continue;
      }
      rows.push(...d.rows);
      const last = d.rows[d.rows.length - 1];
      checkpoints.push({ portfolioId: id, date, state: encodeCheckpoint(new Map(last.positions.map((p) => [p.position_id, p.market_value])), d.lots, previous.get(id)) });
      booked.push({ id, totalValue: last.total_value, positions: last.positions.map(riskPositionOf) });
      // written as they come (a first run books whole histories): memory stays flat
      if (rows.length >= FLUSH_ROWS || ++sliced >= FLUSH_PORTFOLIOS) {
        const slice = rows;
        rows = [];
        sliced = 0;
        await writes.enqueue(() => this.snapshots.upsert(slice, runId));
      }
      generated.push({ portfolioId: id, from: plan.start, generated: d.generated });
      this.counters.portfolios++;
      if (resumed) this.counters.resumed++;
      this.counters.days += d.rows.length;
    }
    await writes.enqueue(() => this.snapshots.upsert(rows, runId));
    await writes.flush();
    // after the snapshots it describes, before the stale markers are cleared (see latestBefore)
    await this.snapshots.saveCheckpoints(checkpoints, runId);
    // stored: the risk phase of this run may take them from here
    for (const b of booked) this.dayHoldings.put(runId, date, b.id, b);
    // nothing booked and none stored from the first recomputed day on: nothing to replace
    await this.writer.replaceSystemTransactions(generated.filter((g) => g.generated.length || hasSystemFrom(ledgers.get(g.portfolioId)!.ledger, g.from)));
    await this.clearStale(generated.map((g) => g.portfolioId), ledgers, date);
    return { processed: ids.length, failures };
  }

  /**
   * Recomputed through `date`: a stale marker on or before it is cleared,
   * unless the ledger changed again since it was read or snapshots after
   * `date` (still stale) exist; those keep it until a run reaches them.
   */
  private async clearStale(recomputed: PortfolioId[], ledgers: Map<PortfolioId, LoadedLedger>, date: CalendarDate): Promise<void> {
    const stale = recomputed.filter((id) => ledgers.get(id)!.ledger.staleFrom !== null);
    if (!stale.length) return;
    const later = await this.snapshots.withSnapshotsAfter(stale, date);
    const clear = stale.filter((id) => !later.has(id));
    await this.writer.clearStale(clear, date, new Map(clear.map((id) => [id, ledgers.get(id)!.ledger.staleFrom])));
  }

  private async timedLoad<T>(load: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await load();
    } finally {
      this.counters.loadMs += performance.now() - t0;
    }
  }

  private plan(
    ids: PortfolioId[],
    ledgers: Map<PortfolioId, LoadedLedger>,
    previous: Map<PortfolioId, PreviousSnapshot>,
    date: CalendarDate,
    fail: (id: PortfolioId, error: string) => void,
  ): Plans {
    const plans: Plans = new Map();
    for (const id of ids) {
      const loaded = ledgers.get(id);
      if (!loaded) {
        fail(id, 'portfolio was deleted');
        continue;
      }
      const plan = planDerivation(loaded.ledger, previous.get(id), date, this.settings.ledgerMaxRecomputeDays);
      if (plan.ok) plans.set(id, plan);
      else fail(id, plan.error);
    }
    return plans;
  }

  /**
   * Closes as traded of every symbol valuing the chunk's holdings from the
   * earliest start to `date`: the run's shared price window when it reaches
   * back far enough, else one matrix read.
   */
  private async closes(
    runId: BatchRunId,
    date: CalendarDate,
    plans: Plans,
    ledgers: Map<PortfolioId, LoadedLedger>,
  ): Promise<(symbol: string, day: CalendarDate) => number | null> {
    const symbols = new Set<string>();
    let earliest = date;
    for (const [id, plan] of plans) {
      if (plan.start < earliest) earliest = plan.start;
      for (const h of ledgers.get(id)!.ledger.holdings.values()) symbols.add(h.underlyingSymbol ?? h.symbol);
    }
    const list = [...symbols];
    const window = PriceWindowCache.window(date);
    const matrix = earliest >= window[0]
      ? await this.prices.closes(runId, date, list)
      : await this.marketData.priceMatrix(list, tradingDaysBetween(earliest, date));
    const index = new Map(matrix.dates.map((d, i) => [d, i]));
    return (symbol, day) => {
      const v = matrix.closes.get(symbol)?.[index.get(day) ?? -1];
      return v !== undefined && Number.isFinite(v) ? v : null;
    };
  }
}
