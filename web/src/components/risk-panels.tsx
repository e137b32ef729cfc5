import { optionalCall, type Risk, type Schemas } from '../api';
import { day, money, num, pct, pctPoints } from '../format';
import { BarChart, HeatMap } from './charts';
import { Card, Empty, Section, Show, TableWrap, Unavailable, useAsync } from './ui';

/** The reason a risk section is missing (its key, or a sub-key of it). */
export const reasonOf = (risk: Risk | null, key: string) => (risk?.reasons ? Object.entries(risk.reasons).find(([k]) => k.startsWith(key))?.[1] : undefined);

export function RiskCards({ risk, currency, reason }: { risk: Risk | null; currency: string; reason?: string }) {
  return (
    <Section title="Risk" id="risk">
      {!risk ? (
        <Empty>No risk figures yet{reason ? `: ${reason}` : '. Recalculate to compute them.'}</Empty>
      ) : (
        <>
          <div class="cards" data-testid="risk-cards">
            <Card label="VaR 95% (1 day)" value={risk.var ? money(risk.var.var_95_amount, currency) : '—'} hint={risk.var ? pctPoints(risk.var.var_95_pct) : reasonOf(risk, 'var')} />
            <Card label="CVaR 95%" value={risk.var ? money(risk.var.cvar_95_amount, currency) : '—'} hint={risk.var ? pctPoints(risk.var.cvar_95_pct) : undefined} />
            <Card label="VaR 99% (1 day)" value={risk.var ? money(risk.var.var_99_amount, currency) : '—'} hint={risk.var ? pctPoints(risk.var.var_99_pct) : undefined} />
            <Card label="CVaR 99%" value={risk.var ? money(risk.var.cvar_99_amount, currency) : '—'} hint={risk.var ? pctPoints(risk.var.cvar_99_pct) : undefined} />
            <Card label="Volatility (63 d, ann.)" value={pct(risk.volatility.vol_63d)} hint={`21 d ${pct(risk.volatility.vol_21d)} · 252 d ${pct(risk.volatility.vol_252d)}`} />
            <Card label="Beta vs SPY" value={num(risk.beta?.beta)} hint={risk.beta ? `R² ${num(risk.beta.r_squared)}` : reasonOf(risk, 'beta')} />
            <Card label="Sharpe" value={num(risk.performance.sharpe)} hint={risk.performance.sharpe == null ? reasonOf(risk, 'performance') : `Sortino ${num(risk.performance.sortino)}`} />
            <Card label="Largest position" value={pct(risk.concentration?.largest_weight)} hint={risk.concentration ? `effective positions ${num(risk.concentration.effective_positions, 1)}` : undefined} />
          </div>
          {risk.stress_tests.results.length > 0 && (
            <details class="stress">
              <summary>Stress tests ({risk.stress_tests.results.length} scenarios)</summary>
              <TableWrap label="Stress tests">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">Scenario</th>
                      <th scope="col" class="num">P&amp;L</th>
                      <th scope="col" class="num">% of value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {risk.stress_tests.results.map((r) => (
                      <tr key={r.id}>
                        <td>{r.name}</td>
                        <td class="num">{money(r.pnl, currency)}</td>
                        <td class="num">{r.pnl_pct == null ? r.reason ?? '—' : pctPoints(r.pnl_pct)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </details>
          )}
        </>
      )}
    </Section>
  );
}

type ExposuresResponse = Schemas['ExposuresResponse'];
type DecompositionResponse = Schemas['DecompositionResponse'];
type Decomposition = NonNullable<DecompositionResponse['decomposition']>;

type Exposures = NonNullable<ExposuresResponse['exposures']>;

/** Exposures by sector (beside the benchmark's weights) and by tag. */
export function ExposuresPanel({ id, version }: { id: string; version: number }) {
  const ex = useAsync(() => optionalCall<ExposuresResponse>('GET', '/api/v1/portfolio/{id}/exposures', { id }), [id, version]);
  return (
    <Section title="Exposures" id="exposures">
      <Show value={ex} what="Loading exposures">
        {(r) => (r.state === 'unavailable' ? <Unavailable what="Exposure by sector and tag" /> : <ExposuresView exposures={r.data.exposures} asOf={r.data.as_of} reason={r.data.reason} />)}
      </Show>
    </Section>
  );
}

/** One book's exposures (a portfolio's, or several as one). */
export function ExposuresView({ exposures: e, asOf, reason }: { exposures: Exposures | null | undefined; asOf?: string | null; reason?: string }) {
  if (!e) return <Empty>No exposures yet{reason ? `: ${reason}` : '. Recalculate to compute them.'}</Empty>;
  // every GICS sector is listed; show those held or weighted in the benchmark
  const sectors = e.by_sector
    .filter((b) => b.positions > 0 || (b.benchmark_weight_pct ?? 0) > 0)
    .map((b) => ({ label: b.key, value: b.net_pct ?? 0, compare: b.benchmark_weight_pct ?? null }));
  const tags = e.by_tag.map((b) => ({ label: b.key, value: b.net_pct ?? 0 }));
  return (
    <>
      <p class="muted">
        {asOf ? `As of ${day(asOf)}. ` : ''}Gross {pctPoints(e.totals.gross_pct, 1)}, net {pctPoints(e.totals.net_pct, 1)} of value; options delta-adjusted.
        {e.unpriced.length ? ` Left out (unpriced): ${e.unpriced.map((u) => u.symbol).join(', ')}.` : ''}
      </p>
      <div class="two-col">
        {sectors.length ? (
          <BarChart id="exp-sector" title="Net exposure by sector, % of value" bars={sectors} format={(x) => pctPoints(x, 1)} compareLabel={`Benchmark ${e.benchmark.name}`} />
        ) : (
          <Empty>No sector exposure.</Empty>
        )}
        {tags.length ? <BarChart id="exp-tag" title="Net exposure by tag, % of value" bars={tags} format={(x) => pctPoints(x, 1)} /> : <Empty>No tagged positions.</Empty>}
      </div>
    </>
  );
}

/** Which holdings drive VaR: the Euler contributions (risk record section, else its own route). */
export function DecompositionPanel({ id, risk, version, currency }: { id: string; risk: Risk | null; version: number; currency: string }) {
  const inRecord = (risk as { decomposition?: Decomposition | null } | null)?.decomposition;
  const fromRoute = useAsync(
    () => (inRecord !== undefined ? Promise.resolve(null) : optionalCall<DecompositionResponse>('GET', '/api/v1/portfolio/{id}/risk/decomposition', { id })),
    [id, version, inRecord === undefined],
  );
  return (
    <Section title="Risk decomposition" id="decomposition">
      <Show value={fromRoute} what="Loading decomposition">
        {(r) => {
          if (!risk) return <Empty>No risk figures yet.</Empty>;
          if (inRecord !== undefined) return <DecompositionView decomposition={inRecord} reason={reasonOf(risk, 'decomposition')} currency={currency} />;
          if (!r || r.state === 'unavailable') return <Unavailable what="Risk decomposition" />;
          return <DecompositionView decomposition={r.data.decomposition} reason={reasonOf(risk, 'decomposition') ?? r.data.reason} currency={currency} />;
        }}
      </Show>
    </Section>
  );
}

/** One book's decomposition (a portfolio's, or several as one): top contributors and sectors to VaR 95%. */
export function DecompositionView({ decomposition: d, reason, currency }: { decomposition: Decomposition | null | undefined; reason?: string; currency: string }) {
  if (!d || !d.positions.length) return <Empty>No decomposition for this date{reason ? `: ${reason}` : '.'}</Empty>;
  const bars = d.positions
    .map((p) => ({ label: p.symbol, value: p.var_95.contribution_amount }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, 15);
  const sectors = d.by_sector.map((g) => ({ label: g.name, value: g.var_95.contribution_amount })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return (
    <>
      <div class="two-col">
        <BarChart id="decomp" title={`Contribution to 1-day VaR 95% (total ${money(d.var_95.amount, currency)}), top ${bars.length}`} bars={bars} format={(x) => money(x, currency)} valueLabel="Contribution" />
        {sectors.length > 0 && <BarChart id="decomp-sector" title="Contribution to 1-day VaR 95% by sector" bars={sectors} format={(x) => money(x, currency)} valueLabel="Contribution" />}
      </div>
      {d.factor_attribution && (
        <p class="muted">
          Systematic share of variance {pct(d.factor_attribution.systematic_share)}, idiosyncratic {pct(d.factor_attribution.idiosyncratic_share)} ({d.observations} days).
        </p>
      )}
    </>
  );
}

export function CorrelationPanel({ risk }: { risk: Risk | null }) {
  const c = risk?.correlation;
  return (
    <Section title="Correlation" id="correlation">
      {!c || c.symbols.length < 2 ? (
        <Empty>Not enough positions with overlapping history for a correlation matrix.</Empty>
      ) : (
        <HeatMap id="corr" title={`Correlation of daily returns, ${c.window_days} days`} labels={c.symbols} matrix={c.matrix} />
      )}
    </Section>
  );
}

export function GreeksPanel({ risk, currency }: { risk: Risk | null; currency: string }) {
  const g = risk?.greeks;
  return (
    <Section title="Option Greeks" id="greeks">
      {!g || g.option_positions === 0 ? (
        <Empty>No option positions{reasonOf(risk, 'greeks') ? `: ${reasonOf(risk, 'greeks')}` : '.'}</Empty>
      ) : (
        <dl class="greeks">
          <div><dt>Delta</dt><dd>{num(g.delta)}</dd></div>
          <div><dt>Dollar delta</dt><dd>{money(g.dollar_delta, currency)}</dd></div>
          <div><dt>Gamma</dt><dd>{num(g.gamma, 4)}</dd></div>
          <div><dt>Theta (per day)</dt><dd>{money(g.theta, currency)}</dd></div>
          <div><dt>Vega (per 1 pt)</dt><dd>{money(g.vega, currency)}</dd></div>
          <div><dt>Rho (per 1 pt)</dt><dd>{money(g.rho, currency)}</dd></div>
          <div><dt>Option positions</dt><dd>{g.option_positions}</dd></div>
        </dl>
      )}
    </Section>
  );
}
