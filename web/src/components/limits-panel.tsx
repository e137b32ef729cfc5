import { useState } from 'preact/hooks';
import { optionalCall, type Schemas } from '../api';
import { day, num, when } from '../format';
import { Empty, ErrorNote, Section, Show, TableWrap, Unavailable, errorText, useAsync } from './ui';

type LimitsResponse = Schemas['LimitsResponse'];
type LimitSet = Schemas['LimitSetResponse'];
type LimitField = keyof LimitSet;
type Alert = Schemas['AlertResponse'];

/** The limits of DESIGN §9 with their units (src/limits/limit-rules.ts). */
const LIMITS: Array<[field: LimitField, label: string]> = [
  ['var_95_pct_max', 'VaR 95% max (% of value)'],
  ['var_99_pct_max', 'VaR 99% max (% of value)'],
  ['volatility_max', 'Volatility max (fraction)'],
  ['max_drawdown_min', 'Max drawdown floor (fraction ≤ 0)'],
  ['gross_exposure_max', 'Gross exposure max (× value)'],
  ['net_exposure_min', 'Net exposure min (× value)'],
  ['net_exposure_max', 'Net exposure max (× value)'],
  ['top_position_weight_max', 'Top position weight max (0–1)'],
  ['beta_min', 'Beta min'],
  ['beta_max', 'Beta max'],
  ['sector_weight_max', 'Sector weight max (0–1)'],
];
const LABEL = Object.fromEntries(LIMITS) as Record<string, string>;

/** Limits (editable) and their alerts: issue 12's routes, optional here. */
export function LimitsPanel({ id, version }: { id: string; version: number }) {
  const limits = useAsync(() => optionalCall<LimitsResponse>('GET', '/api/v1/portfolio/{id}/limits', { id }), [id, version]);
  const alerts = useAsync(() => optionalCall<Alert[]>('GET', '/api/v1/portfolio/{id}/alerts', { id }), [id, version]);
  return (
    <Section title="Limits and alerts" id="limits">
      <div class="two-col">
        <Show value={limits} what="Loading limits">
          {(r) => (r.state === 'unavailable' ? <Unavailable what="Limits" /> : <LimitsForm id={id} initial={r.data.limits} onSaved={limits.reload} />)}
        </Show>
        <Show value={alerts} what="Loading alerts">
          {(r) => (r.state === 'unavailable' ? <Unavailable what="Alerts" /> : <AlertList alerts={r.data} />)}
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
    const body = Object.fromEntries(LIMITS.map(([f]) => [f, values[f].trim() === '' ? null : Number(values[f])])) as Schemas['LimitsDto'];
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
          {alerts.map((a) => (
            <tr key={a.id}>
              <td>
                <span title={a.message}>{LABEL[a.limit] ?? a.limit}</span>
                {a.subject ? ` (${a.subject})` : ''}
              </td>
              <td>{a.status === 'open' ? <span class="badge badge-failed">Open</span> : <span class="badge badge-completed">Resolved</span>}</td>
              <td class="num">{num(a.value ?? a.opened_value, 4)}</td>
              <td class="num">{num(a.threshold, 4)}</td>
              <td title={when(a.opened_at)}>{day(a.opened_as_of)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
