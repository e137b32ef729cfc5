import { useState } from 'preact/hooks';
import { api, call, type Risk } from '../api';
import { day, money } from '../format';
import { Link } from '../router';
import { DecompositionView, ExposuresView, reasonOf, RiskCards } from '../components/risk-panels';
import { Empty, Section, Show, useAsync } from '../components/ui';

/**
 * Several of the user's portfolios as one book (GET /portfolio/aggregate):
 * the summed value, and risk, exposures and decomposition computed as if one
 * book held everything. All portfolios at first; untick some to leave them out.
 */
export function AggregatePage() {
  const list = useAsync(() => call(api.GET('/api/v1/portfolio')), []);
  // the portfolios left out (none: all of them, the route's default)
  const [left, setLeft] = useState<Set<string>>(new Set());
  const all = list.data ?? [];
  const chosen = all.filter((p) => !left.has(p.id)).map((p) => p.id);
  const ids = left.size ? chosen.join(',') : '';
  const agg = useAsync(
    () => (left.size && !chosen.length ? Promise.resolve(null) : call(api.GET('/api/v1/portfolio/aggregate', { params: { query: ids ? { ids } : {} } }))),
    [ids, left.size],
  );
  const currency = all[0]?.currency ?? 'USD';
  const toggle = (id: string) =>
    setLeft((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <>
      <nav aria-label="Breadcrumb" class="crumbs">
        <Link href="/">Portfolios</Link> <span aria-hidden="true">›</span> <span>Combined</span>
      </nav>
      <h1>Combined view</h1>
      <Section title="Portfolios in the book" id="members">
        <Show value={list} what="Loading portfolios">
          {(rows) =>
            rows.length === 0 ? (
              <Empty>No portfolios yet.</Empty>
            ) : (
              <fieldset class="members" data-testid="aggregate-members">
                <legend class="muted">As if one book held them all</legend>
                {rows.map((p) => (
                  <label key={p.id}>
                    <input type="checkbox" checked={!left.has(p.id)} onChange={() => toggle(p.id)} /> {p.name}
                  </label>
                ))}
              </fieldset>
            )
          }
        </Show>
      </Section>
      <Show value={agg} what="Combining">
        {(a) => {
          if (!a) return <Empty>Tick at least one portfolio.</Empty>;
          const risk = a.risk as Risk | null;
          return (
            <>
              <p class="muted" data-testid="aggregate-summary">
                {a.snapshot ? (
                  <>
                    <span class="headline-value">{money(a.snapshot.total_value, currency)}</span> in {a.portfolio_ids.length - a.not_calculated.length} portfolio(s) as of {day(a.as_of)}
                  </>
                ) : (
                  'None of these portfolios is calculated yet: recalculate them first.'
                )}
                {a.not_calculated.length > 0 && ` · ${a.not_calculated.length} not calculated yet, left out`}
                {a.stale && <span class="badge badge-partial">stale: recalculate</span>}
              </p>
              <RiskCards risk={risk} currency={currency} reason={a.reason} />
              <Section title="Exposures" id="exposures">
                <ExposuresView exposures={risk?.exposures} asOf={a.as_of} />
              </Section>
              <Section title="Risk decomposition" id="decomposition">
                {risk ? (
                  <DecompositionView decomposition={risk.decomposition} reason={reasonOf(risk, 'decomposition')} currency={currency} />
                ) : (
                  <Empty>No risk figures yet.</Empty>
                )}
              </Section>
            </>
          );
        }}
      </Show>
    </>
  );
}
