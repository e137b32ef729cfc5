import { useEffect, useState } from 'preact/hooks';
import { api, call, followRun, optionalCall, routeServed, type RunDetail, type RunView, type Schemas } from '../api';
import { day, when } from '../format';
import { Link, navigate } from '../router';
import { RunProgress } from '../components/run-progress';
import { Empty, ErrorNote, Section, Show, TableWrap, Unavailable, errorText, useAsync } from '../components/ui';

const ACTIVE = new Set(['queued', 'running']);
const PHASES = ['market_data', 'pnl_snapshots', 'risk_analytics'] as const;

/** One run: live phases over SSE while it is active, its per-portfolio failures, its event log; cancel and re-run a phase. */
export function RunPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useAsync(() => call(api.GET('/api/v1/admin/batch/runs/{id}', { params: { path: { id } } })), [id, version]);
  const [live, setLive] = useState<RunView | null>(null);
  const status = live?.status ?? detail.data?.status;
  const active = status != null && ACTIVE.has(status);

  useEffect(() => {
    if (!detail.data || !ACTIVE.has(detail.data.status)) return;
    return followRun<RunView>(`/api/v1/admin/batch/runs/${id}/events`, {
      onStatus: setLive,
      onFinal: () => {
        setVersion((v) => v + 1);
        window.dispatchEvent(new Event('sigmasight:runs-changed'));
      },
    });
  }, [id, detail.data?.batch_run_id, detail.data && ACTIVE.has(detail.data.status)]);

  return (
    <>
      <nav aria-label="Breadcrumb" class="crumbs">
        <Link href="/admin">Batch operations</Link> <span aria-hidden="true">›</span> <span>Run {id.slice(0, 8)}</span>
      </nav>
      <Show value={detail} what="Loading run">
        {(d) => {
          const view: RunView = live && live.batch_run_id === d.batch_run_id ? { ...d, ...live } : d;
          return (
            <>
              <div class="page-head">
                <div>
                  <h1>Run {d.batch_run_id.slice(0, 8)}</h1>
                  <p class="muted">
                    {d.start_date && d.end_date ? `Backfill ${day(d.start_date)} – ${day(d.end_date)}` : `For ${day(d.calculation_date)}`} · {d.trigger} by {d.triggered_by} · created {when(d.created_at)}
                    {d.rerun_of && (
                      <>
                        {' '}
                        · re-run of <Link href={`/admin/runs/${d.rerun_of}`}>{d.rerun_of.slice(0, 8)}</Link>
                      </>
                    )}
                  </p>
                </div>
                <RunActions run={view} onChanged={() => setVersion((v) => v + 1)} />
              </div>
              <Section title="Phases" id="phases">
                <RunProgress run={view} />
                <p class="muted small">
                  Portfolios: {view.portfolios.completed} completed, {view.portfolios.failed} failed of {view.portfolios.total}
                  {active ? ' · live' : ''}
                </p>
              </Section>
              <Failures detail={d} />
              <EventLog id={id} version={version} />
            </>
          );
        }}
      </Show>
    </>
  );
}

function RunActions({ run, onChanged }: { run: RunView; onChanged: () => void }) {
  const [phase, setPhase] = useState<(typeof PHASES)[number]>('risk_analytics');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const rerunServed = useAsync(() => routeServed('POST', '/api/v1/admin/batch/runs/{id}/rerun'), []);
  const cancel = async () => {
    setError(null);
    try {
      await call(api.POST('/api/v1/admin/batch/runs/{id}/cancel', { params: { path: { id: run.batch_run_id } } }));
      setNote('Cancel requested: the run stops between chunks.');
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rerun = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await optionalCall<Schemas['AdminRunStartedResponse']>('POST', '/api/v1/admin/batch/runs/{id}/rerun', { id: run.batch_run_id }, { body: { phase } satisfies Schemas['RerunPhaseDto'] });
      if (r.state === 'unavailable') setError('Re-running a phase is not available yet on this server.');
      else navigate(`/admin/runs/${r.data.batch_run_id}`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="run-actions">
      {ACTIVE.has(run.status) ? (
        <button type="button" class="danger" onClick={cancel}>
          Cancel run
        </button>
      ) : !rerunServed.data ? (
        rerunServed.loading ? null : <Unavailable what="Re-running a phase" />
      ) : (
        <form class="inline" onSubmit={rerun}>
          <label for="rerun-phase">Phase</label>
          <select id="rerun-phase" value={phase} onChange={(e) => setPhase(e.currentTarget.value as typeof phase)}>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button type="submit">Re-run phase</button>
        </form>
      )}
      {note && <p role="status" class="muted small">{note}</p>}
      {error && <ErrorNote error={error} />}
    </div>
  );
}

function Failures({ detail }: { detail: RunDetail }) {
  const failed = detail.results.filter((r) => r.status === 'failed');
  return (
    <Section title="Per-portfolio errors" id="failures">
      {detail.market_data_issues.length > 0 && (
        <ul class="issues">
          {detail.market_data_issues.map((m) => (
            <li key={m.symbol}>
              <strong>{m.symbol}</strong>: {m.message}
            </li>
          ))}
        </ul>
      )}
      {failed.length === 0 ? (
        <Empty>No portfolio failed{ACTIVE.has(detail.status) ? ' so far' : ''}.</Empty>
      ) : (
        <TableWrap label="Failed portfolios">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Portfolio</th>
                <th scope="col">Phase</th>
                <th scope="col">Date</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {failed.slice(0, 200).map((r) => (
                <tr key={r.portfolio_id}>
                  <td><code>{r.portfolio_id.slice(0, 8)}</code></td>
                  <td>{r.failed_phase ?? '—'}</td>
                  <td>{day(r.failed_date)}</td>
                  <td>{r.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Section>
  );
}


function EventLog({ id, version }: { id: string; version: number }) {
  const log = useAsync(() => optionalCall<Schemas['RunEventPageResponse']>('GET', '/api/v1/admin/batch/runs/{id}/events', { id }, { query: { format: 'json' } }), [id, version]);
  return (
    <Section title="Event log" id="events">
      <Show value={log} what="Loading events">
        {(r) => {
          if (r.state === 'unavailable') return <Unavailable what="The run's event log" />;
          const events = r.data.events;
          if (events.length === 0) return <Empty>No events recorded.</Empty>;
          return (
            <>
            {r.data.next_after_id != null && <p class="muted">The first {events.length} events, oldest first.</p>}
            <TableWrap label="Run events">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => (
                    <tr key={e.id} data-level={e.level}>
                      <td>{when(e.at)}</td>
                      <td>{e.level === 'info' ? e.kind : `${e.kind} (${e.level})`}</td>
                      <td>{e.phase ?? '—'}{e.chunk_index != null ? ` #${e.chunk_index}` : ''}</td>
                      <td class="small">{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            </>
          );
        }}
      </Show>
    </Section>
  );
}
