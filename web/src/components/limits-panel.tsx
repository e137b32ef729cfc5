import { useState } from 'preact/hooks';
import { optionalCall } from '../api';
import { day, num, when } from '../format';
import { Empty, ErrorNote, Section, Show, StatusBadge, TableWrap, Unavailable, errorText, useAsync } from './ui';

/** The limits of DESIGN §9 with their units (as issue 12's API reads them). */
const LIMITS: Array<[field: string, label: string]> = [
  ['var_95_pct_max', 'VaR 95% max (% of value)'],
  ['var_99_pct_max', 'VaR 99% max (% of value)'],
  ['volatility_max', 'Volatility max (fraction)'],
  ['max_drawdown_min', 'Max drawdown floor (fraction ≤ 0)'],
  ['gross_exposure_max', 'Gross exposure max (× value)'],
  ['top_position_weight_max', 'Top position weight max (0–1)'],
  ['beta_min', 'Beta min'],
  ['beta_max', 'Beta max'],
  ['sector_weight_max', 'Sector weight max (0–1)'],
];

type LimitSet = Record<string, number | null>;
interface Alert {
  id?: string;
  limit_key?: string;
  limit_name?: string;
  subject?: string | null;
  status?: string;
  threshold?: number;
  last_value?: number;
  opened_at?: string;
  opened_as_of?: string;
  resolved_at?: string | null;
}

const unwrap = <T,>(data: unknown, key: string): T => (data && typeof data === 'object' && key in data ? (data as Record<string, T>)[key] : (data as T));

/** Limits (editable) and their alerts: issue 12's routes, optional here. */
export function LimitsPanel({ id, version }: { id: string; version: number }) {
  const limits = useAsync(() => optionalCall<unknown>('GET', '/api/v1/portfolio/{id}/limits', { id }), [id, version]);
  const alerts = useAsync(() => optionalCall<unknown>('GET', '/api/v1/portfolio/{id}/alerts', { id }), [id, version]);
  return (
    <Section title="Limits and alerts" id="limits">
      <div class="two-col">
        <Show value={limits} what="Loading limits">
          {(r) => (r.state === 'unavailable' ? <Unavailable what="Limits" /> : <LimitsForm id={id} initial={unwrap<LimitSet>(r.data, 'limits') ?? {}} onSaved={limits.reload} />)}
        </Show>
        <Show value={alerts} what="Loading alerts">
          {(r) => (r.state === 'unavailable' ? <Unavailable what="Alerts" /> : <AlertList alerts={unwrap<Alert[]>(r.data, 'alerts') ?? []} />)}
        </Show>
      </div>
    </Section>
  );
}

function LimitsForm({ id, initial, onSaved }: { id: string; initial: LimitSet; onSaved: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(LIMITS.map(([f]) => [f, initial[f] == null ? '' : String(initial[f])])));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const body = Object.fromEntries(LIMITS.map(([f]) => [f, values[f].trim() === '' ? null : Number(values[f])]));
    try {
      const r = await optionalCall('PUT', '/api/v1/portfolio/{id}/limits', { id }, { body });
      if (r.state === 'unavailable') setError('Saving limits is not available yet on this server.');
      else {
        setSaved(true);
        onSaved();
      }
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form onSubmit={submit} class="limits-form" aria-label="Limits">
      {LIMITS.map(([f, label]) => (
        <div class="field" key={f}>
          <label for={`limit-${f}`}>{label}</label>
          <input id={`limit-${f}`} type="number" step="any" inputMode="decimal" value={values[f]} onInput={(e) => setValues({ ...values, [f]: e.currentTarget.value })} />
        </div>
      ))}
      <button type="submit">Save limits</button>
      {saved && <p role="status" class="success">Limits saved; they are checked after every run.</p>}
      {error && <ErrorNote error={error} />}
    </form>
  );
}

function AlertList({ alerts }: { alerts: Alert[] }) {
  if (alerts.length === 0) return <Empty>No alerts: no limit has been breached.</Empty>;
  return (
    <TableWrap label="Alerts">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Limit</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">Value</th>
            <th scope="col" class="num">Limit</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a, i) => (
            <tr key={a.id ?? i}>
              <td>
                {a.limit_name ?? a.limit_key}
                {a.subject ? ` (${a.subject})` : ''}
              </td>
              <td>{a.status === 'open' ? <span class="badge badge-failed">Open</span> : <StatusBadge status={a.status === 'resolved' ? 'completed' : a.status} />}</td>
              <td class="num">{num(a.last_value, 4)}</td>
              <td class="num">{num(a.threshold, 4)}</td>
              <td>{a.opened_as_of ? day(a.opened_as_of) : when(a.opened_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
