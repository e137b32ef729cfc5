import { useState } from 'preact/hooks';
import { api, call } from '../api';
import { day, money, signClass } from '../format';
import { Link } from '../router';
import { ImportPanel } from '../components/import-panel';
import { LedgerPanel } from '../components/ledger-panel';
import { LimitsPanel } from '../components/limits-panel';
import { PerformancePanel } from '../components/performance-panel';
import { Recalculate } from '../components/recalculate';
import { CorrelationPanel, DecompositionPanel, ExposuresPanel, GreeksPanel, RiskCards } from '../components/risk-panels';
import { Empty, ErrorNote, Show, useAsync } from '../components/ui';

export function PortfolioPage({ id }: { id: string }) {
  const portfolio = useAsync(() => call(api.GET('/api/v1/portfolio/{id}', { params: { path: { id } } })), [id]);
  // bumped after a recalculation or an import: the figures below reload
  const [version, setVersion] = useState(0);
  const analytics = useAsync(() => call(api.GET('/api/v1/portfolio/{id}/analytics', { params: { path: { id } } })), [id, version]);
  const refresh = () => setVersion((v) => v + 1);

  // every panel starts its reads at once (no waterfall behind the portfolio's own read)
  const p = portfolio.data;
  const currency = p?.currency ?? 'USD';
  const snap = analytics.data?.snapshot;
  const risk = analytics.data?.risk ?? null;
  if (portfolio.error) return <ErrorNote error={portfolio.error} />;
  return (
    <>
      <nav aria-label="Breadcrumb" class="crumbs">
        <Link href="/">Portfolios</Link> <span aria-hidden="true">›</span> <span>{p?.name ?? '…'}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>{p?.name ?? 'Portfolio'}</h1>
          <p class="muted">
            {snap ? (
              <>
                <span class="headline-value">{money(snap.total_value, currency)}</span>{' '}
                <span class={signClass(snap.daily_pnl)}>{money(snap.daily_pnl, currency)} today</span> · as of {day(analytics.data?.as_of)}
                {analytics.data?.stale && <span class="badge badge-partial">stale: recalculate</span>}
              </>
            ) : analytics.loading ? (
              'Loading figures…'
            ) : (
              'Not calculated yet: press Recalculate.'
            )}
          </p>
        </div>
        <Recalculate portfolioId={id} onDone={refresh} />
      </div>
      {analytics.data && !analytics.data.snapshot && <Empty>No snapshot yet. Import positions, then Recalculate to see charts and risk.</Empty>}
      <PerformancePanel id={id} currency={currency} version={version} />
      <Show value={analytics} what="Loading risk">
        {(a) => (
          <>
            <RiskCards risk={risk} currency={currency} reason={a.reason} />
            <ExposuresPanel id={id} version={version} />
            <DecompositionPanel id={id} risk={risk} version={version} currency={currency} />
            <div class="two-col">
              <CorrelationPanel risk={risk} />
              <GreeksPanel risk={risk} currency={currency} />
            </div>
          </>
        )}
      </Show>
      <LimitsPanel id={id} version={version} />
      <LedgerPanel id={id} currency={currency} version={version} />
      <ImportPanel id={id} onImported={refresh} />
    </>
  );
}
