import type { BatchRunView, PhaseView } from './batch.types';

/**
 * A batch run as one user sees it through their own portfolio. A run over
 * every portfolio is shared: what it says about other users' portfolios
 * (their count, their failures, the symbols they hold, who triggered it) is
 * not the viewer's to see. Pure: the caller reads the viewer's part.
 */
export interface ViewerPart {
  /** The viewer's email: a run they triggered keeps their name. */
  email: string;
  /** The viewer's portfolios in the run. */
  portfolios: { total: number; completed: number; failed: number };
  /** Symbols (and underlyings) the viewer's portfolios hold. */
  heldSymbols: ReadonlySet<string>;
  /** Symbols every run prices whoever holds what (the factor ETFs): nobody's secret. */
  commonSymbols: ReadonlySet<string>;
}

/** Who started a run, as a viewer other than the trigger's author may see it. */
function triggeredByFor(run: BatchRunView, email: string): string | null {
  if (run.triggered_by === email) return email;
  if (run.trigger === 'admin') return 'admin';
  if (run.trigger === 'schedule') return 'scheduler';
  if (run.trigger === 'cli') return 'cli';
  return null;
}

/** Errors worth showing as they are: they name no portfolio, symbol or person. */
const GENERIC_ERROR = /^(interrupted|abandoned|could not enqueue)\b/;

function errorFor(run: BatchRunView, part: ViewerPart, shared: boolean): string | null {
  if (run.error === null) return null;
  if (run.status === 'cancelled') return 'cancelled';
  if (!shared) return run.error;
  if (part.portfolios.failed > 0) return `${part.portfolios.failed} of ${part.portfolios.total} portfolio(s) failed`;
  if (run.status === 'partial') return null;
  if (GENERIC_ERROR.test(run.error)) return run.error;
  // e.g. "market_data: <provider message>": the phase is enough
  const phase = /^([a-z_]+):/.exec(run.error)?.[1];
  return phase ? `failed in ${phase}` : 'failed';
}

/** A shared run's status from the viewer's portfolios: others' failures do not make theirs `partial`. */
function statusFor(run: BatchRunView, part: ViewerPart): BatchRunView['status'] {
  if (run.status !== 'partial') return run.status;
  const { completed, failed } = part.portfolios;
  return failed === 0 ? 'completed' : completed === 0 ? 'failed' : 'partial';
}

/** Phase progress re-expressed on the viewer's part (the shared totals would count everyone's portfolios and symbols). */
function phaseFor(phase: PhaseView, scopeTotal: number): PhaseView {
  const done = phase.status === 'completed' ? scopeTotal : phase.total > 0 ? Math.floor((phase.done * scopeTotal) / phase.total) : 0;
  return { ...phase, done, total: scopeTotal };
}

function issueSymbol(issue: unknown): string | null {
  const s = (issue as { symbol?: unknown } | null)?.symbol;
  return typeof s === 'string' ? s : null;
}

export function scopeRunView(run: BatchRunView, part: ViewerPart): BatchRunView {
  const shared = run.portfolio_id === null;
  const visible = (issue: unknown) => {
    const symbol = issueSymbol(issue);
    return symbol !== null && (part.heldSymbols.has(symbol) || part.commonSymbols.has(symbol));
  };
  const symbolTotal = new Set([...part.heldSymbols, ...part.commonSymbols]).size;
  return {
    ...run,
    status: shared ? statusFor(run, part) : run.status,
    triggered_by: triggeredByFor(run, part.email) as string,
    portfolios: { ...part.portfolios },
    phases: shared ? run.phases.map((p) => phaseFor(p, p.name === 'market_data' ? symbolTotal : part.portfolios.total)) : run.phases,
    market_data_issues: run.market_data_issues.filter(visible),
    error: errorFor(run, part, shared),
  };
}
