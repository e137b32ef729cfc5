import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, call, optionalCall, type RunView, type Schemas } from '../api';
import { day, when } from '../format';
import { Link, navigate } from '../router';
import { Empty, ErrorNote, Pager, Section, Show, StatusBadge, TableWrap, Unavailable, errorText, useAsync } from '../components/ui';

const RUN_PAGE = 20;
const ACTIVE = new Set(['queued', 'running']);
const STATUSES = ['queued', 'running', 'completed', 'partial', 'failed', 'cancelled'] as const;

export function AdminPage() {
  return (
    <>
      <div class="page-head">
        <h1>Batch operations</h1>
      </div>
      <TriggerForm />
      <RunsList />
      <div class="two-col">
        <SchedulePanel />
        <CoveragePanel />
      </div>
    </>
  );
}

/** One page of runs; polled every 2 s while any run on it is queued or running (one request). */
function RunsList() {
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState<string>('');
  const [tick, setTick] = useState(0);
  const runs = useAsync(
    () => call(api.GET('/api/v1/admin/batch/runs', { params: { query: { limit: RUN_PAGE, offset, ...(status ? { status: status as (typeof STATUSES)[number] } : {}) } } })),
    [offset, status, tick],
  );
  const live = (runs.data?.runs ?? []).some((r) => ACTIVE.has(r.status));
  useEffect(() => {
    const refresh = () => setTick((t) => t + 1);
    window.addEventListener('sigmasight:runs-changed', refresh);
    if (!live) return () => window.removeEventListener('sigmasight:runs-changed', refresh);
    const timer = setInterval(refresh, 2000);
    return () => {
      clearInterval(timer);
      window.removeEventListener('sigmasight:runs-changed', refresh);
    };
  }, [live]);

  const filter = (
    <div class="field inline-field">
      <label for="run-status">Status</label>
      <select id="run-status" value={status} onChange={(e) => (setOffset(0), setStatus(e.currentTarget.value))}>
        <option value="">Any</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Section title="Runs" id="runs" actions={filter}>
      <Show value={runs} what="Loading runs">
        {(list) =>
          list.runs.length === 0 ? (
            <Empty>No runs yet. Start one above.</Empty>
          ) : (
            <>
              <TableWrap label="Batch runs">
                <table class="data" data-testid="runs-table">
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">Status</th>
                      <th scope="col">Dates</th>
                      <th scope="col">Phase</th>
                      <th scope="col" class="num">Portfolios</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.runs.map((r) => (
                      <RunRow key={r.batch_run_id} r={r} />
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <Pager offset={offset} limit={RUN_PAGE} total={list.total} onPage={setOffset} label="Run pages" />
            </>
          )
        }
      </Show>
    </Section>
  );
}

function RunRow({ r }: { r: RunView }) {
  const progress = r.phases.find((p) => p.name === r.current_phase);
  return (
    <tr data-run={r.batch_run_id} data-status={r.status}>
      <td>
        <Link href={`/admin/runs/${r.batch_run_id}`}>{r.batch_run_id.slice(0, 8)}</Link>
        {r.phase_filter && <span class="muted small"> re-run {r.phase_filter}</span>}
      </td>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td>{r.start_date && r.end_date ? `${day(r.start_date)} – ${day(r.end_date)}` : day(r.calculation_date)}</td>
      <td>{ACTIVE.has(r.status) && progress ? `${progress.name} ${progress.done}/${progress.total}` : '—'}</td>
      <td class="num">
        {r.portfolios.completed}/{r.portfolios.total}
        {r.portfolios.failed > 0 && <span class="neg"> ({r.portfolios.failed} failed)</span>}
      </td>
      <td>
        {r.trigger} <span class="muted small">{r.triggered_by}</span>
      </td>
      <td>{when(r.created_at)}</td>
    </tr>
  );
}

function TriggerForm() {
  const [kind, setKind] = useState<'latest' | 'date' | 'backfill'>('latest');
  const [date, setDate] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const body: Record<string, unknown> = { force };
    if (kind === 'date') body.calculation_date = date;
    if (kind === 'backfill') Object.assign(body, { start_date: start, end_date: end });
    try {
      const r = await call(api.POST('/api/v1/admin/batch/run', { body: body as never }));
      navigate(`/admin/runs/${r.batch_run_id}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 && err.body.batch_run_id ? new Error(`${err.message} (run ${err.body.batch_run_id.slice(0, 8)})`) : err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel row-form" onSubmit={submit} aria-labelledby="trigger-title">
      <h2 id="trigger-title">Start a run of every portfolio</h2>
      <div class="field">
        <label for="trigger-kind">Which days</label>
        <select id="trigger-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
          <option value="latest">Latest trading day</option>
          <option value="date">One date</option>
          <option value="backfill">Backfill a range</option>
        </select>
      </div>
      {kind === 'date' && (
        <div class="field">
          <label for="trigger-date">Calculation date</label>
          <input id="trigger-date" type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
      )}
      {kind === 'backfill' && (
        <>
          <div class="field">
            <label for="backfill-start">From</label>
            <input id="backfill-start" type="date" required value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="backfill-end">To</label>
            <input id="backfill-end" type="date" required value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </div>
        </>
      )}
      <div class="field checkbox">
        <input id="trigger-force" type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
        <label for="trigger-force">Re-fetch market data</label>
      </div>
      <button type="submit" disabled={busy}>
        {kind === 'backfill' ? 'Start backfill' : 'Start run'}
      </button>
      {error != null && <ErrorNote error={error} />}
    </form>
  );
}

type Schedule = Schemas['ScheduleResponse'];
type Coverage = Schemas['CoverageResponse'];
type SymbolCoverage = Schemas['SymbolCoverageResponse'];

function SchedulePanel() {
  const sched = useAsync(() => optionalCall<Schedule>('GET', '/api/v1/admin/batch/schedule'), []);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const toggle = async (paused: boolean) => {
    setError(null);
    setNote(null);
    try {
      const r = await optionalCall<Schemas['ScheduleUpdateResponse']>('PUT', '/api/v1/admin/batch/schedule', {}, { body: { paused } satisfies Schemas['ScheduleUpdateDto'] });
      if (r.state === 'unavailable') setError('Pausing the schedule is not available yet on this server.');
      else if (r.data.catch_up_run_id) setNote(`Resumed: catch-up run ${r.data.catch_up_run_id.slice(0, 8)} started for ${r.data.skipped_dates.length} skipped date(s).`);
      else setNote(paused ? 'Schedule paused.' : 'Schedule resumed.');
      sched.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Section title="Nightly schedule" id="schedule">
      <Show value={sched} what="Loading schedule">
        {(r) =>
          r.state === 'unavailable' ? (
            <Unavailable what="The schedule (pause and resume)" />
          ) : (
            <>
              <dl class="facts">
                <div><dt>State</dt><dd>{r.data.paused ? <span class="badge badge-cancelled">Paused</span> : <span class="badge badge-completed">Active</span>}</dd></div>
                <div><dt>Cron</dt><dd><code>{r.data.cron}</code> {r.data.timezone}{r.data.enabled ? '' : ' (disabled)'}</dd></div>
                <div><dt>Next run</dt><dd>{r.data.paused ? 'none while paused' : r.data.next_fire_at ? when(r.data.next_fire_at) : '—'}</dd></div>
                <div><dt>Last scheduled date</dt><dd>{r.data.last_scheduled_date ? day(r.data.last_scheduled_date) : '—'}</dd></div>
                {r.data.paused && (
                  <div><dt>Paused</dt><dd>{when(r.data.paused_at)}{r.data.paused_by ? ` by ${r.data.paused_by}` : ''}; skipped {r.data.skipped_dates.length ? r.data.skipped_dates.map(day).join(', ') : 'none yet'}</dd></div>
                )}
              </dl>
              <button type="button" onClick={() => toggle(!r.data.paused)}>
                {r.data.paused ? 'Resume schedule' : 'Pause schedule'}
              </button>
              {note && <p role="status" class="success">{note}</p>}
              {error && <ErrorNote error={error} />}
            </>
          )
        }
      </Show>
    </Section>
  );
}


function CoveragePanel() {
  const [date, setDate] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const cov = useAsync(() => (asked === null ? Promise.resolve(null) : optionalCall<Coverage>('GET', '/api/v1/admin/market-data/coverage', {}, { query: { date: asked } })), [asked]);
  return (
    <Section title="Market-data coverage" id="coverage">
      <form
        class="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(date);
        }}
      >
        <div class="field">
          <label for="coverage-date">Date (empty: latest trading day)</label>
          <input id="coverage-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <button type="submit">Check coverage</button>
      </form>
      <Show value={cov} what="Checking coverage">
        {(r) => {
          if (r === null) return <p class="muted">Held symbols with missing or stale prices, per portfolio, before a run.</p>;
          if (r.state === 'unavailable') return <Unavailable what="Data coverage" />;
          const rows: Array<[SymbolCoverage, string]> = [...r.data.missing.map((c): [SymbolCoverage, string] => [c, 'missing']), ...r.data.stale.map((c): [SymbolCoverage, string] => [c, 'stale'])];
          return rows.length === 0 ? (
            <Empty>All {r.data.symbols_checked} symbols checked have a price on {day(r.data.date)}.</Empty>
          ) : (
            <>
            <p class="muted">
              {r.data.symbols_checked} symbols checked for {day(r.data.date)}; stale: last close before {day(r.data.stale_before)} ({r.data.stale_after_trading_days} trading days). Portfolios affected:{' '}
              {r.data.portfolios.map((p) => p.name).join(', ') || 'none'}.
            </p>
            <TableWrap label="Coverage gaps">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last price</th>
                    <th scope="col" class="num">Portfolios</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, 200).map(([c, status]) => (
                    <tr key={c.symbol}>
                      <td>
                        {c.symbol}
                        {c.factor ? ' (factor)' : ''}
                      </td>
                      <td>{status}</td>
                      <td>{c.last_price_date ? day(c.last_price_date) : 'none stored'}</td>
                      <td class="num" title={c.portfolios.map((p) => p.name).join(', ')}>{c.portfolios.length}</td>
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
