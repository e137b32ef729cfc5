import { useState } from 'preact/hooks';
import { api, call } from '../api';
import { day, money, num, signClass } from '../format';
import { TagEditor } from './tag-editor';
import { Empty, Pager, Section, Show, TableWrap, useAsync } from './ui';

const TABS = [
  ['positions', 'Positions'],
  ['lots', 'Lots'],
  ['transactions', 'Transactions'],
  ['realized', 'Realized P&L'],
] as const;
type Tab = (typeof TABS)[number][0];

/** The ledger's views; only the tab on screen is loaded. */
export function LedgerPanel({ id, currency, version }: { id: string; currency: string; version: number }) {
  const [tab, setTab] = useState<Tab>('positions');
  const picker = (
    <div class="segmented" role="group" aria-label="Ledger view">
      {TABS.map(([key, label]) => (
        <button key={key} type="button" aria-pressed={tab === key} onClick={() => setTab(key)}>
          {label}
        </button>
      ))}
    </div>
  );
  return (
    <Section title="Holdings and ledger" id="ledger" actions={picker}>
      {tab === 'positions' && <Positions id={id} currency={currency} version={version} />}
      {tab === 'lots' && <Lots id={id} currency={currency} version={version} />}
      {tab === 'transactions' && <Transactions id={id} currency={currency} version={version} />}
      {tab === 'realized' && <Realized id={id} currency={currency} version={version} />}
    </Section>
  );
}

function Positions({ id, currency, version }: { id: string; currency: string; version: number }) {
  const v = useAsync(() => call(api.GET('/api/v1/portfolio/{id}/positions', { params: { path: { id } } })), [id, version]);
  return (
    <Show value={v} what="Loading positions">
      {(rows) =>
        rows.length === 0 ? (
          <Empty>No open positions. Import a CSV below.</Empty>
        ) : (
          <TableWrap label="Positions">
            <table class="data" data-testid="positions-table">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">Quantity</th>
                  <th scope="col" class="num">Cost / unit</th>
                  <th scope="col" class="num">Cost basis</th>
                  <th scope="col">Since</th>
                  <th scope="col">Tags</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id}>
                    <td>{p.symbol}</td>
                    <td>{p.position_type}</td>
                    <td class="num">{num(p.quantity, 4)}</td>
                    <td class="num">{money(p.entry_price, currency, 2)}</td>
                    <td class="num">{money(p.cost_basis, currency)}</td>
                    <td>{day(p.entry_date)}</td>
                    <td>
                      <TagEditor portfolioId={id} positionId={p.id} symbol={p.symbol} tags={p.tags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )
      }
    </Show>
  );
}

function Lots({ id, currency, version }: { id: string; currency: string; version: number }) {
  const v = useAsync(() => call(api.GET('/api/v1/portfolio/{id}/lots', { params: { path: { id } } })), [id, version]);
  return (
    <Show value={v} what="Loading lots">
      {(rows) =>
        rows.length === 0 ? (
          <Empty>No open lots.</Empty>
        ) : (
          <TableWrap label="Open lots">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">Quantity</th>
                  <th scope="col" class="num">Cost / unit</th>
                  <th scope="col" class="num">Cost basis</th>
                  <th scope="col">Opened</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l, i) => (
                  <tr key={`${l.position_id}-${i}`}>
                    <td>{l.symbol}</td>
                    <td>{l.position_type}</td>
                    <td class="num">{num(l.quantity, 4)}</td>
                    <td class="num">{money(l.cost_per_unit, currency, 2)}</td>
                    <td class="num">{money(l.cost_basis, currency)}</td>
                    <td>{day(l.opened_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )
      }
    </Show>
  );
}

const TX_PAGE = 50;
function Transactions({ id, currency, version }: { id: string; currency: string; version: number }) {
  const [offset, setOffset] = useState(0);
  const v = useAsync(() => call(api.GET('/api/v1/portfolio/{id}/transactions', { params: { path: { id }, query: { limit: TX_PAGE, offset } } })), [id, version, offset]);
  return (
    <Show value={v} what="Loading transactions">
      {(list) =>
        list.total === 0 ? (
          <Empty>No transactions.</Empty>
        ) : (
          <>
            <TableWrap label="Transactions">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Type</th>
                    <th scope="col">Symbol</th>
                    <th scope="col" class="num">Quantity</th>
                    <th scope="col" class="num">Price</th>
                    <th scope="col" class="num">Amount</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {list.transactions.map((t) => (
                    <tr key={t.id}>
                      <td>{day(t.date)}</td>
                      <td>{t.type}</td>
                      <td>{t.symbol ?? '—'}</td>
                      <td class="num">{num(t.quantity, 4)}</td>
                      <td class="num">{t.price == null ? '—' : money(t.price, currency, 2)}</td>
                      <td class="num">{t.amount == null ? '—' : money(t.amount, currency, 2)}</td>
                      <td>{t.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <Pager offset={offset} limit={TX_PAGE} total={list.total} onPage={setOffset} label="Transaction pages" />
          </>
        )
      }
    </Show>
  );
}

function Realized({ id, currency, version }: { id: string; currency: string; version: number }) {
  const v = useAsync(() => call(api.GET('/api/v1/portfolio/{id}/realized', { params: { path: { id } } })), [id, version]);
  return (
    <Show value={v} what="Loading realized P&L">
      {(r) => (
        <>
          <p>
            Total realized: <strong class={signClass(r.total_realized_pnl)}>{money(r.total_realized_pnl, currency, 2)}</strong>
          </p>
          {r.matches.length === 0 ? (
            <Empty>Nothing closed yet.</Empty>
          ) : (
            <TableWrap label="Realized matches">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col" class="num">Quantity</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Closed</th>
                    <th scope="col" class="num">Cost</th>
                    <th scope="col" class="num">Proceeds</th>
                    <th scope="col" class="num">P&amp;L</th>
                  </tr>
                </thead>
                <tbody>
                  {r.matches.map((m, i) => (
                    <tr key={i}>
                      <td>{m.symbol}</td>
                      <td class="num">{num(m.quantity, 4)}</td>
                      <td>{day(m.opened_at)}</td>
                      <td>{day(m.closed_at)}</td>
                      <td class="num">{money(m.cost, currency, 2)}</td>
                      <td class="num">{money(m.proceeds, currency, 2)}</td>
                      <td class={`num ${signClass(m.realized_pnl)}`}>{money(m.realized_pnl, currency, 2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </Show>
  );
}
