import {
  Maybe, completeRows, factorCovariance, isPresent, ok, riskContributions, unavailable, varianceSplitWith,
} from '../math';
import type { PnlScenarios, VarAllocation, VolatilityAllocation } from '../math/decomposition';
import {
  ContributionRecord, DecompositionRecord, FactorAttributionRecord, GroupDecompositionRecord, PositionContributionRecord,
  PositionDecompositionRecord, VarDecompositionTotalRecord,
} from './decomposition-types';
import { FACTOR_DEFINITIONS } from './factors';
import { Holding, HoldingsSeries, aligned } from './holdings';
import { MarketSeries } from './market';
import type { Reasons } from './risk-sections';
import type { FactorExposuresRecord, RiskParameters, SecurityClass } from './risk-types';
import { FACTOR_NAMES, FactorName } from './stress-scenarios';

export const UNCLASSIFIED = 'Unclassified';
export const UNTAGGED = 'Untagged';

export interface DecompositionContext {
  readonly holdings: readonly Holding[];
  readonly series: HoldingsSeries | null;
  readonly market: MarketSeries;
  readonly end: number;
  readonly parameters: RiskParameters;
  readonly factors: FactorExposuresRecord | null;
  readonly classifications?: ReadonlyMap<string, SecurityClass>;
  readonly tags?: ReadonlyMap<string, readonly string[]>;
}

/** The exposed positions' P&L over the VaR window's complete days, as scenarios (no matrix is built). */
interface PnlWindow extends PnlScenarios {
  /** Indices into the holdings of the scenario rows. */
  readonly members: number[];
  /** Market index of each scenario (= columns). */
  readonly columns: Int32Array;
}

/**
 * The risk record's `decomposition` section (null with its reason in
 * `reasons.decomposition`). Linear in positions × window: one pass builds
 * the P&L matrix, one more per measure; no covariance matrix, no regression.
 */
export function decompositionSection(ctx: DecompositionContext, reasons: Reasons): DecompositionRecord | null {
  const built = buildDecomposition(ctx, reasons);
  if (built.value === null) reasons.decomposition = built.reason;
  return built.value;
}

function buildDecomposition(ctx: DecompositionContext, reasons: Reasons): Maybe<DecompositionRecord> {
  const { series, parameters: p } = ctx;
  if (!series) return unavailable('no holdings return series');
  const m = pnlWindow(ctx.holdings, series, p.varWindow);
  const parts = riskContributions(m, p.varMinObservations);
  if (parts.value === null) return parts;
  const { var95, var99 } = parts.value;
  const vol = { value: parts.value.volatility };
  const d = series.denominator;
  const positions = positionRecords(ctx, m, vol.value, var95, var99, d);
  const factorAttribution = factorAttributionOf(ctx);
  if (factorAttribution.value === null) reasons['decomposition.factor_attribution'] = factorAttribution.reason;
  return ok({
    window_days: p.varWindow,
    observations: vol.value.observations,
    return_denominator: d,
    volatility_1d: { amount: vol.value.total, pct: (vol.value.total / d) * 100 },
    var_95: varTotal(var95, m, ctx.market, d),
    var_99: varTotal(var99, m, ctx.market, d),
    positions,
    ...groupsOf(positions, { volatility: vol.value.total, var_95: var95.total, var_99: var99.total }, d),
    tag_allocation: 'even_split',
    factor_attribution: factorAttribution.value,
  });
}

/**
 * p[i][t] = exposure_i × r_i,t over the last `window` days of the holdings
 * series on which it has a return (every exposed position present), the days
 * the VaR section uses too. Zero-exposure positions have no row.
 */
function pnlWindow(holdings: readonly Holding[], series: HoldingsSeries, window: number): PnlWindow {
  const from = Math.max(0, series.returns.length - window);
  const days: number[] = [];
  for (let t = from; t < series.returns.length; t++) if (isPresent(series.returns[t])) days.push(series.start + t);
  const members: number[] = [];
  const scale: number[] = [];
  const rows: Float64Array[] = [];
  for (let i = 0; i < holdings.length; i++) {
    const e = holdings[i].exposure;
    const r = holdings[i].returns;
    if (!e || !r) continue;
    members.push(i);
    scale.push(e);
    rows.push(r);
  }
  return { members, scale, series: rows, columns: Int32Array.from(days) };
}

function varTotal(v: VarAllocation, m: PnlWindow, market: MarketSeries, d: number): VarDecompositionTotalRecord {
  return {
    amount: v.total,
    pct: (v.total / d) * 100,
    scenarios: v.scenarios.map((s) => ({ date: market.dates[m.columns[s.index]], weight: s.weight })),
  };
}

function contribution(amount: number, total: number, d: number): ContributionRecord {
  return { contribution_amount: amount, contribution_pct: (amount / d) * 100, share: total !== 0 ? amount / total : null };
}

function positionRecords(
  ctx: DecompositionContext, m: PnlWindow, vol: VolatilityAllocation, v95: VarAllocation, v99: VarAllocation, d: number,
): PositionDecompositionRecord[] {
  const row = new Int32Array(ctx.holdings.length).fill(-1);
  m.members.forEach((h, k) => (row[h] = k));
  const part = (a: { total: number; contributions: Float64Array }, k: number, e: number): PositionContributionRecord =>
    positionContribution(k < 0 ? null : a.contributions[k], a.total, e);
  return ctx.holdings.map((h, i) => {
    const k = row[i];
    const e = h.exposure ?? 0;
    return {
      position_id: h.position.id,
      symbol: h.position.symbol,
      price_symbol: h.priceSymbol,
      sector: ctx.classifications?.get(h.priceSymbol)?.sector || UNCLASSIFIED,
      tags: tagsOf(ctx.tags?.get(h.position.id)),
      exposure: e,
      weight: e / d,
      volatility: part(vol, k, e),
      var_95: part(v95, k, e),
      var_99: part(v99, k, e),
    };
  });
}

/**
 * A position's part of a measure whose portfolio figure is `total`; `amount`
 * null for a position outside the P&L window (no exposure or no returns).
 * The marginal is in return units: ∂(measure / d)/∂(exposure / d) =
 * contribution / exposure. Also used to rebuild stored records.
 */
export function positionContribution(amount: number | null, total: number, exposure: number): PositionContributionRecord {
  const a = amount ?? 0;
  return { contribution_amount: a, share: total !== 0 ? a / total : null, marginal: amount === null ? null : a / exposure };
}

function tagsOf(tags: readonly string[] | undefined): string[] {
  return tags && tags.length ? [...new Set(tags)].sort() : [];
}

type Measure = 'volatility' | 'var_95' | 'var_99';

/**
 * The sector and tag groups of the position records. The stored record
 * leaves them out and this rebuilds them on read from the same numbers
 * (risk-record-storage), so the groups read back are the ones computed.
 */
export function groupsOf(
  positions: readonly PositionDecompositionRecord[], totals: Readonly<Record<Measure, number>>, d: number,
): Pick<DecompositionRecord, 'by_sector' | 'by_tag'> {
  return {
    by_sector: groupRecords(positions, (x) => [x.sector], totals, d),
    by_tag: groupRecords(positions, (x) => (x.tags.length ? x.tags : [UNTAGGED]), totals, d),
  };
}

/**
 * Groups' contributions: Σ of their members', a member in k groups adding
 * 1/k to each (sectors: k = 1), so the groups sum to the portfolio's figure.
 */
function groupRecords(
  positions: readonly PositionDecompositionRecord[], groupsOf: (p: PositionDecompositionRecord) => readonly string[],
  totals: Readonly<Record<Measure, number>>, d: number,
): GroupDecompositionRecord[] {
  // plain fields, not acc[measure]: this runs for every portfolio of the batch
  const acc = new Map<string, { positions: number; exposure: number } & Record<Measure, number>>();
  for (const p of positions) {
    const names = groupsOf(p);
    const f = 1 / names.length;
    for (const name of names) {
      let g = acc.get(name);
      if (!g) acc.set(name, (g = { positions: 0, exposure: 0, volatility: 0, var_95: 0, var_99: 0 }));
      g.positions++;
      g.exposure += f * p.exposure;
      g.volatility += f * p.volatility.contribution_amount;
      g.var_95 += f * p.var_95.contribution_amount;
      g.var_99 += f * p.var_99.contribution_amount;
    }
  }
  return [...acc.entries()]
    .map(([name, g]) => ({
      name, positions: g.positions, exposure: g.exposure,
      volatility: contribution(g.volatility, totals.volatility, d),
      var_95: contribution(g.var_95, totals.var_95, d),
      var_99: contribution(g.var_99, totals.var_99, d),
    }))
    .sort((a, b) => b.volatility.contribution_amount - a.volatility.contribution_amount || (a.name < b.name ? -1 : 1));
}

/**
 * The factors' covariance on `rows`; when those are all the window's rows
 * with every factor present (the portfolio has no gap), it is the same for
 * every portfolio: computed once per market series.
 */
function factorCovarianceOn(ctx: DecompositionContext, xs: readonly Float64Array[], rows: Int32Array): Float64Array {
  const window = xs[0].length;
  const memo = ctx.market.memoTable<{ rows: number; cov: Float64Array }>('factor-covariance');
  const key = `${ctx.end}\u0000${window}`;
  let full = memo.get(key);
  if (!full) {
    const all = completeRows(new Float64Array(window), xs);
    full = { rows: all.length, cov: factorCovariance(xs, all) };
    memo.set(key, full);
  }
  return rows.length === full.rows ? full.cov : factorCovariance(xs, rows);
}

/**
 * Systematic vs idiosyncratic variance over the factor model's own window,
 * with the betas it already fitted (no second regression).
 */
function factorAttributionOf(ctx: DecompositionContext): Maybe<FactorAttributionRecord> {
  const f = ctx.factors;
  if (!f || !ctx.series) return unavailable('factor model unavailable (see reasons.factor_exposures)');
  let y: Float64Array = ctx.series.returns;
  const xs: Float64Array[] = [];
  for (const name of FACTOR_NAMES) {
    const [long, short] = FACTOR_DEFINITIONS[name];
    const r = short === null ? ctx.market.returns(long) : ctx.market.spread(long, short);
    if (!r) return unavailable(`no prices for factor ${name}`);
    const [yy, x] = aligned(ctx.series, ctx.end, r, f.window_days);
    y = yy;
    xs.push(x);
  }
  const rows = completeRows(y, xs);
  if (rows.length < 2) return unavailable(`insufficient data: ${rows.length} observations, need 2`);
  const split = varianceSplitWith(y, rows, factorCovarianceOn(ctx, xs, rows), FACTOR_NAMES.map((n) => f.factors[n].beta));
  if (split.value === null) return split;
  const s = split.value;
  const shares = {} as Record<FactorName, number>;
  FACTOR_NAMES.forEach((n, j) => (shares[n] = s.factorShares[j]));
  return ok({
    window_days: f.window_days,
    observations: s.observations,
    total_variance: s.totalVariance,
    systematic_variance: s.systematicVariance,
    idiosyncratic_variance: s.idiosyncraticVariance,
    systematic_share: s.systematicShare,
    idiosyncratic_share: s.idiosyncraticShare,
    factor_shares: shares,
  });
}
