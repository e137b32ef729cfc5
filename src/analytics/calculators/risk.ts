import { CalendarDate } from '../../common/branded';
import { Maybe, isPresent, unavailable } from '../math';
import { FACTOR_SYMBOLS, factorExposures, ratesExposure } from './factors';
import { Holding, HoldingsSeries, buildHoldings, holdingsSeries } from './holdings';
import { MarketSeries, buildMarketSeries } from './market';
import {
  Reasons,
  concentrationSection,
  correlationSection,
  greeksSection,
  performanceSection,
  portfolioBeta,
  positionBetas,
  stressSection,
  take,
  varSection,
  volatilitySection,
} from './risk-sections';
import { DEFAULT_RISK_PARAMETERS, RiskInput, RiskParameters, RiskRecord, VOLATILITY_WINDOWS } from './risk-types';
import { DEFAULT_STRESS_SCENARIOS } from './stress-scenarios';
import { exposuresSection } from '../exposures/exposures';
import { decompositionSection } from './decomposition-section';
import { MissingPrice } from './types';

/**
 * The risk record of DESIGN §6 for one portfolio on one date. Pure: no I/O.
 * Risk metrics (volatility, beta, factors, VaR/CVaR) use the holdings-based
 * return series (today's positions over the past window of prices);
 * performance metrics (max drawdown, Sharpe, Sortino) use the realised
 * snapshot history. Every metric that cannot be computed is null and its
 * reason is recorded in `reasons` (or inline for per-position and
 * per-scenario entries). Never throws on missing data; throws only on a
 * malformed price matrix (arrays not aligned with the dates).
 */
export function calculateRisk(input: RiskInput): RiskRecord {
  const p: RiskParameters = { ...DEFAULT_RISK_PARAMETERS, ...input.parameters };
  const market = input.market instanceof MarketSeries ? input.market : buildMarketSeries(input.market);
  const date = input.calculationDate;
  const reasons: Reasons = {};
  const end = market.indexOnOrBefore(date);
  const priceDate = end >= 0 ? market.dates[end] : null;
  if (priceDate !== date) reasons.price_date = priceDate ? `no prices on ${date}; using ${priceDate}` : `no prices on or before ${date}`;
  const positions = input.positions.filter((x) => x.entryDate <= date);
  const holdings = buildHoldings(positions, market, end, date, input.settings);
  const gross = holdings.reduce((s, h) => s + (isPresent(h.marketValue) ? Math.abs(h.marketValue) : 0), 0);
  const window = Math.max(...VOLATILITY_WINDOWS, p.varWindow, p.betaWindow, p.factorWindow);
  const hs: Maybe<HoldingsSeries> = positions.length === 0
    ? unavailable('no positions')
    : holdingsSeries(holdings, end, window, input.totalValue, gross);
  const series = take(hs, 'holdings', reasons);
  const metrics = series ? seriesMetrics(series, market, end, p, reasons) : emptySeriesMetrics(hs.reason ?? '', reasons);
  return {
    version: 1,
    calculation_date: date,
    price_date: priceDate,
    total_value: input.totalValue,
    gross_exposure: gross,
    return_basis: series?.basis ?? null,
    return_denominator: series?.denominator ?? null,
    holdings_observations: series ? countPresent(series.returns.subarray(Math.max(0, series.returns.length - 252))) : 0,
    ...metrics,
    position_betas: positionBetas(holdings, market, end, p),
    performance: performanceSection(input.history, date, input.settings.riskFreeRate, p, reasons),
    correlation: correlationSection(holdings, end, p, market),
    concentration: concentrationSection(holdings, reasons),
    greeks: greeksSection(holdings, reasons),
    stress_tests: stressSection(
      metrics.factor_exposures, metrics.rates_exposure, metrics.beta, series?.denominator ?? null,
      input.totalValue, input.scenarios ?? DEFAULT_STRESS_SCENARIOS,
    ),
    exposures: exposuresSection(holdings, input),
    decomposition: decompositionSection({ holdings, series, market, end, parameters: p, factors: metrics.factor_exposures, classifications: input.classifications, tags: input.tags }, reasons),
    missing_prices: missingPrices(holdings, market, end, priceDate ?? date),
    reasons,
  };
}

type SeriesMetrics = Pick<RiskRecord, 'volatility' | 'beta' | 'factor_exposures' | 'rates_exposure' | 'var'>;

function seriesMetrics(
  series: HoldingsSeries, market: MarketSeries, end: number, p: RiskParameters, reasons: Reasons,
): SeriesMetrics {
  return {
    volatility: volatilitySection(series, reasons),
    beta: portfolioBeta(series, market, end, p, reasons),
    factor_exposures: take(factorExposures(series, market, end, p.factorWindow, p.factorMinObservations), 'factor_exposures', reasons),
    rates_exposure: take(ratesExposure(series, market, end, p.factorWindow, p.factorMinObservations), 'rates_exposure', reasons),
    var: varSection(series, p, reasons),
  };
}

function emptySeriesMetrics(reason: string, reasons: Reasons): SeriesMetrics {
  for (const key of ['beta', 'factor_exposures', 'rates_exposure', 'var', ...VOLATILITY_WINDOWS.map((w) => `volatility.vol_${w}d`)]) {
    reasons[key] = reason;
  }
  return {
    volatility: { vol_21d: null, vol_63d: null, vol_252d: null },
    beta: null,
    factor_exposures: null,
    rates_exposure: null,
    var: null,
  };
}

function countPresent(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  return n;
}

function missingPrices(holdings: readonly Holding[], market: MarketSeries, end: number, date: CalendarDate): MissingPrice[] {
  const symbols = new Set<string>([...holdings.map((h) => h.priceSymbol), ...FACTOR_SYMBOLS]);
  const out: MissingPrice[] = [];
  for (const symbol of symbols) if (end < 0 || market.close(symbol, end) === null) out.push({ symbol, date });
  return out;
}
