import type { RunView } from '../api';
import { StatusBadge } from './ui';

const PHASE_NAMES: Record<string, string> = { market_data: 'Market data', pnl_snapshots: 'P&L snapshots', risk_analytics: 'Risk analytics' };

/** A run's phases as progress bars (each `done` of `total`), announced politely to screen readers. */
export function RunProgress({ run }: { run: RunView }) {
  return (
    <div class="run-progress" data-run-status={run.status}>
      <p aria-live="polite">
        Run <StatusBadge status={run.status} />
        {run.dates.total > 1 && (
          <span class="muted">
            {' '}
            day {Math.min(run.dates.done + 1, run.dates.total)} of {run.dates.total}
          </span>
        )}
        {run.error && <span class="error"> {run.error}</span>}
      </p>
      <ol class="phases">
        {run.phases.map((ph) => (
          <li key={ph.name} data-phase={ph.name} data-phase-status={ph.status}>
            <span class="phase-name">{PHASE_NAMES[ph.name] ?? ph.name}</span>
            <progress max={Math.max(1, ph.total)} value={ph.status === 'completed' ? Math.max(1, ph.total) : ph.done} aria-label={`${PHASE_NAMES[ph.name] ?? ph.name} progress`} />
            <span class="muted small">
              {ph.done}/{ph.total} <StatusBadge status={ph.status} />
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
