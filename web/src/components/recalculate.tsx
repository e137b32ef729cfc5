import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call, followRun, type RunView } from '../api';
import { RunProgress } from './run-progress';
import { errorText } from './ui';

const ACTIVE = new Set(['queued', 'running']);

/** Starts a calculation of this portfolio and follows it live over SSE until it ends. */
export function Recalculate({ portfolioId, onDone }: { portfolioId: string; onDone: () => void }) {
  const [run, setRun] = useState<RunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

  const follow = (runId: string) => {
    stop.current?.();
    stop.current = followRun<RunView>(`/api/v1/portfolio/${portfolioId}/batch-status/${runId}/events`, {
      onStatus: setRun,
      onFinal: () => onDone(),
      onError: (e) => setError(errorText(e)),
    });
  };

  const start = async () => {
    setError(null);
    try {
      const accepted = await call(api.POST('/api/v1/portfolio/{id}/calculate', { params: { path: { id: portfolioId } }, body: {} }));
      follow(accepted.batch_run_id);
    } catch (e) {
      // a run already covers this portfolio: follow that one
      if (e instanceof ApiError && e.status === 409 && e.body.batch_run_id) follow(e.body.batch_run_id);
      else setError(errorText(e));
    }
  };

  const busy = run != null && ACTIVE.has(run.status);
  return (
    <div class="recalc">
      <button type="button" onClick={start} disabled={busy}>
        {busy ? 'Recalculating…' : 'Recalculate'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {run && <RunProgress run={run} />}
    </div>
  );
}
