import { Maybe, multipleRegression, ok, unavailable } from '../math';
import { HoldingsSeries, aligned } from './holdings';
import { MarketSeries } from './market';
import { FactorExposuresRecord, RatesExposureRecord } from './risk-types';
import { FACTOR_NAMES, FactorName } from './stress-scenarios';

/** Factor ETF legs: the factor's return is long − short (market = SPY alone). */
export const FACTOR_DEFINITIONS: Readonly<Record<FactorName, readonly [string, string | null]>> = {
  market: ['SPY', null],
  growth: ['VUG', 'VTV'],
  momentum: ['MTUM', 'SPY'],
  size: ['IWM', 'SPY'],
  quality: ['QUAL', 'SPY'],
  low_vol: ['USMV', 'SPY'],
};

export const MARKET_SYMBOL = 'SPY';
export const RATES_SYMBOL = 'TLT';
/** Every symbol the risk calculation needs besides the positions' own. */
export const FACTOR_SYMBOLS = ['SPY', 'VUG', 'VTV', 'MTUM', 'IWM', 'QUAL', 'USMV', 'TLT'] as const;

function factorReturns(market: MarketSeries, name: FactorName): Float64Array | null {
  const [long, short] = FACTOR_DEFINITIONS[name];
  return short === null ? market.returns(long) : market.spread(long, short);
}

function absentSymbols(market: MarketSeries, symbols: readonly string[]): string[] {
  return symbols.filter((s) => !market.has(s));
}

/**
 * One multivariate OLS of the holdings returns on the market and the five
 * spread factors over the last `window` days (at least `minObservations`).
 * Dollar exposure = beta × the return denominator (the total value when positive).
 */
export function factorExposures(
  series: HoldingsSeries,
  market: MarketSeries,
  end: number,
  window: number,
  minObservations: number,
): Maybe<FactorExposuresRecord> {
  const absent = absentSymbols(market, FACTOR_SYMBOLS.filter((s) => s !== RATES_SYMBOL));
  if (absent.length > 0) return unavailable(`no prices for factor ETF(s): ${absent.join(', ')}`);
  let y: Float64Array = series.returns;
  const xs: Float64Array[] = [];
  for (const name of FACTOR_NAMES) {
    const [yy, x] = aligned(series, end, factorReturns(market, name) as Float64Array, window);
    y = yy;
    xs.push(x);
  }
  const fit = multipleRegression(y, xs, minObservations, FACTOR_NAMES);
  if (fit.value === null) return fit;
  const factors = {} as Record<FactorName, { beta: number; dollar_exposure: number }>;
  FACTOR_NAMES.forEach((name, j) => {
    const beta = fit.value.coefficients[j];
    factors[name] = { beta, dollar_exposure: beta * series.denominator };
  });
  return ok({
    window_days: window,
    observations: fit.value.observations,
    r_squared: fit.value.rSquared,
    alpha: fit.value.intercept,
    factors,
  });
}

/**
 * Rates sensitivity: the TLT coefficient of an OLS of the holdings returns on
 * SPY and TLT (so equity beta is not mistaken for rate exposure).
 */
export function ratesExposure(
  series: HoldingsSeries,
  market: MarketSeries,
  end: number,
  window: number,
  minObservations: number,
): Maybe<RatesExposureRecord> {
  const spy = market.returns(MARKET_SYMBOL);
  const tlt = market.returns(RATES_SYMBOL);
  if (!spy || !tlt) return unavailable(`no prices for ${!spy ? MARKET_SYMBOL : RATES_SYMBOL}`);
  const [y, xm] = aligned(series, end, spy, window);
  const [, xr] = aligned(series, end, tlt, window);
  const fit = multipleRegression(y, [xm, xr], minObservations, [MARKET_SYMBOL, RATES_SYMBOL]);
  if (fit.value === null) return fit;
  const beta = fit.value.coefficients[1];
  return ok({
    proxy: 'TLT',
    beta,
    dollar_exposure: beta * series.denominator,
    observations: fit.value.observations,
    window_days: window,
  });
}
