import { CalendarDate } from '../../common/branded';
import { Maybe, isPresent, ok, unavailable } from '../math';
import { MarketSeries } from './market';
import { PositionMark, isOption, markPosition, priceSymbolOf } from './position-valuation';
import { RiskPositionInput } from './risk-types';
import { AnalyticsSettings } from './types';

/** A position marked on the price date, with its dollar exposure to its price symbol. */
export interface Holding {
  readonly position: RiskPositionInput;
  readonly priceSymbol: string;
  /** Close of the price symbol on the price date. */
  readonly close: number | null;
  readonly mark: PositionMark | null;
  readonly marketValue: number | null;
  /**
   * Dollar exposure to the price symbol's daily return: the market value for
   * stocks, position delta × underlying close for options.
   */
  readonly exposure: number | null;
  /** Daily returns of the price symbol, aligned with the market dates. */
  readonly returns: Float64Array | null;
  readonly reason: string | null;
}

export function buildHoldings(
  positions: readonly RiskPositionInput[],
  market: MarketSeries,
  end: number,
  date: CalendarDate,
  settings: AnalyticsSettings,
): Holding[] {
  return positions.map((p) => {
    const priceSymbol = priceSymbolOf(p);
    const close = end >= 0 ? market.close(priceSymbol, end) : null;
    const returns = market.returns(priceSymbol);
    const marked = close === null ? null : markPosition(p, close, date, settings);
    const mark = marked?.value ?? null;
    const given = isPresent(p.marketValue) ? p.marketValue : null;
    const marketValue = given ?? mark?.marketValue ?? null;
    const exposure = isOption(p.positionType) ? (mark && close !== null ? mark.delta * close : null) : marketValue;
    let reason: string | null = null;
    if (!returns) reason = `no price history for ${priceSymbol}`;
    else if (close === null) reason = `no close for ${priceSymbol} on the price date`;
    else if (marked && marked.value === null) reason = marked.reason;
    return { position: p, priceSymbol, close, mark, marketValue, exposure, returns, reason };
  });
}

export interface HoldingsSeries {
  /** Portfolio daily returns for market indices [start, end]; NaN where a held symbol has no return. */
  readonly returns: Float64Array;
  readonly start: number;
  readonly basis: 'total_value' | 'gross_exposure';
  readonly denominator: number;
}

/**
 * Holdings-based portfolio returns: today's positions valued over the past
 * window, r_t = Σ exposure_i × r_(i,t) / denominator, with the denominator the
 * current total value when positive, else the gross exposure. A day on which
 * any exposed position lacks a return is missing (NaN), never zero-filled.
 * Positions with zero exposure (e.g. worthless expired options) do not count.
 */
export function holdingsSeries(
  holdings: readonly Holding[],
  end: number,
  window: number,
  totalValue: number,
  grossExposure: number,
): Maybe<HoldingsSeries> {
  const blocked = holdings.filter((h) => h.exposure === null || (h.exposure !== 0 && !h.returns));
  if (blocked.length > 0) {
    const what = blocked.map((h) => `${h.position.symbol}: ${h.reason ?? 'exposure unknown'}`);
    return unavailable(`cannot value the holdings over time (${what.join('; ')})`);
  }
  const basis = totalValue > 0 ? 'total_value' : 'gross_exposure';
  const denominator = totalValue > 0 ? totalValue : grossExposure;
  if (!(denominator > 0)) return unavailable('portfolio has no value or exposure');
  const start = Math.max(1, end - window + 1);
  if (end < start) return unavailable('insufficient data: no price history before the price date');
  const out = new Float64Array(end - start + 1);
  for (const h of holdings) {
    const e = h.exposure as number;
    const r = h.returns;
    if (e === 0 || !r) continue;
    for (let t = 0; t < out.length; t++) out[t] += e * r[start + t];
  }
  for (let t = 0; t < out.length; t++) out[t] /= denominator;
  return ok({ returns: out, start, basis, denominator });
}

/** The last `n` holdings returns and the matching view of a market-aligned array. */
export function aligned(series: HoldingsSeries, end: number, other: Float64Array, n: number): [Float64Array, Float64Array] {
  const m = Math.min(n, series.returns.length);
  return [series.returns.subarray(series.returns.length - m), other.subarray(end - m + 1, end + 1)];
}
