import { useState } from 'preact/hooks';
import { api, call, type Portfolio } from '../api';
import { daysAgo, money, signClass } from '../format';
import { Link } from '../router';
import { Empty, ErrorNote, errorText, Pager, Show, StatusBadge, TableWrap, useAsync } from '../components/ui';

const PAGE = 20;

/** Value, day P&L and last run of the portfolios on screen (the list itself has none): two small reads per row shown. */
async function summaries(ps: Portfolio[]) {
  const from = daysAgo(14);
  return Promise.all(
    ps.map(async (p) => {
      const [snaps, runs] = await Promise.all([
        call(api.GET('/api/v1/portfolio/{id}/snapshots', { params: { path: { id: p.id }, query: { from } } })).catch(() => []),
        call(api.GET('/api/v1/portfolio/{id}/batch-runs', { params: { path: { id: p.id } } })).catch(() => []),
      ]);
      const last = snaps[snaps.length - 1];
      return { id: p.id, value: last?.total_value ?? null, dayPnl: last?.daily_pnl ?? null, asOf: last?.snapshot_date ?? null, run: runs[0]?.status ?? null };
    }),
  );
}

export function PortfoliosPage() {
  const list = useAsync(() => call(api.GET('/api/v1/portfolio')), []);
  const [offset, setOffset] = useState(0);
  const shown = (list.data ?? []).slice(offset, offset + PAGE);
  const ids = shown.map((p) => p.id).join(',');
  const sums = useAsync(() => summaries(shown), [ids]);
  const byId = new Map((sums.data ?? []).map((s) => [s.id, s]));

  return (
    <>
      <div class="page-head">
        <h1>Portfolios</h1>
      </div>
      <CreatePortfolio onCreated={list.reload} />
      <section class="panel" aria-labelledby="plist-title">
        <h2 id="plist-title">Your portfolios</h2>
        <Show value={list} what="Loading portfolios">
          {(all) =>
            all.length === 0 ? (
              <Empty>No portfolios yet. Create one above, then import positions from a CSV file.</Empty>
            ) : (
              <>
                <TableWrap label="Portfolios">
                  <table class="data" data-testid="portfolio-table">
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col" class="num">Value</th>
                        <th scope="col" class="num">Day P&amp;L</th>
                        <th scope="col">Last run</th>
                        <th scope="col" class="num">Positions</th>
                        <th scope="col"><span class="sr-only">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.map((p) => (
                        <PortfolioRow key={p.id} p={p} sum={byId.get(p.id)} loading={sums.loading} onChanged={list.reload} />
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
                <Pager offset={offset} limit={PAGE} total={all.length} onPage={setOffset} label="Portfolio pages" />
              </>
            )
          }
        </Show>
      </section>
    </>
  );
}

function PortfolioRow({ p, sum, loading, onChanged }: { p: Portfolio; sum?: { value: number | null; dayPnl: number | null; asOf: string | null; run: string | null }; loading: boolean; onChanged: () => void }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const [name, setName] = useState(p.name);
  const [error, setError] = useState<unknown>(null);
  const pending = loading && !sum;

  const rename = async (e: Event) => {
    e.preventDefault();
    try {
      await call(api.PATCH('/api/v1/portfolio/{id}', { params: { path: { id: p.id } }, body: { name: name.trim() } as never }));
      setMode('view');
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async () => {
    try {
      await call(api.DELETE('/api/v1/portfolio/{id}', { params: { path: { id: p.id } } }));
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <tr>
      <td>
        {mode === 'rename' ? (
          <form class="inline" onSubmit={rename}>
            <label class="sr-only" for={`rename-${p.id}`}>
              New name for {p.name}
            </label>
            <input id={`rename-${p.id}`} value={name} required maxLength={255} onInput={(e) => setName(e.currentTarget.value)} />
            <button type="submit">Save</button>
            <button type="button" class="secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </form>
        ) : (
          <Link href={`/portfolios/${p.id}`}>{p.name}</Link>
        )}
        {error != null && <ErrorNote error={error} />}
      </td>
      <td class="num">{pending ? '…' : money(sum?.value, p.currency)}</td>
      <td class={`num ${signClass(sum?.dayPnl)}`}>{pending ? '…' : money(sum?.dayPnl, p.currency)}</td>
      <td>{pending ? '…' : <StatusBadge status={sum?.run} />}</td>
      <td class="num">{p.position_count ?? '—'}</td>
      <td class="actions">
        {mode === 'delete' ? (
          <span class="confirm">
            Delete “{p.name}” and its history?{' '}
            <button type="button" class="danger" onClick={remove}>
              Delete
            </button>
            <button type="button" class="secondary" onClick={() => setMode('view')}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <button type="button" class="secondary" aria-label={`Rename ${p.name}`} onClick={() => setMode('rename')}>
              Rename
            </button>
            <button type="button" class="secondary" aria-label={`Delete ${p.name}`} onClick={() => setMode('delete')}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function CreatePortfolio({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [cash, setCash] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { name: name.trim() };
      if (cash.trim()) body.cash_balance = Number(cash);
      await call(api.POST('/api/v1/portfolio', { body: body as never }));
      setName('');
      setCash('');
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel row-form" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New portfolio</h2>
      <div class="field">
        <label for="new-name">Name</label>
        <input id="new-name" required maxLength={255} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="new-cash">Opening cash (optional)</label>
        <input id="new-cash" type="number" step="0.01" min="0" inputMode="decimal" value={cash} onInput={(e) => setCash(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Create
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
