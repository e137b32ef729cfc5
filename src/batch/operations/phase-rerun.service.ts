import { Injectable } from '@nestjs/common';
import { asPortfolioId, BatchRunId } from '../../common/branded';
import { conflict } from '../../common/errors';
import { BatchService } from '../batch.service';
import { batchTriggerRequest } from '../batch-trigger-request';
import { ACTIVE_STATUSES, BatchTrigger, BatchRunView, PhaseName } from '../batch.types';

/**
 * Re-runs one phase of a run, for its dates and its portfolios (the run
 * repository copies the source run's portfolio set), through the one trigger
 * every entry point uses. The new run works only that phase; the others show
 * `skipped`.
 */
@Injectable()
export class PhaseRerunService {
  constructor(private readonly batch: BatchService) {}

  async rerun(sourceId: BatchRunId, phase: PhaseName, by: { trigger: Extract<BatchTrigger, 'admin' | 'cli'>; email: string }): Promise<BatchRunView> {
    const source = await this.batch.view(sourceId); // 404 for an unknown run
    if (ACTIVE_STATUSES.includes(source.status)) {
      throw conflict(`Batch run ${source.batch_run_id} is still ${source.status}: re-run a phase once it has finished`, {
        batch_run_id: source.batch_run_id,
        status: source.status,
      });
    }
    const range = source.start_date && source.end_date ? { startDate: source.start_date, endDate: source.end_date } : { calculationDate: source.calculation_date };
    return this.batch.trigger(
      batchTriggerRequest({
        trigger: by.trigger,
        triggeredBy: by.email,
        portfolioId: source.portfolio_id ? asPortfolioId(source.portfolio_id) : undefined,
        ...range,
        onlyPhase: phase,
        rerunOf: source.batch_run_id,
      }),
    );
  }
}
