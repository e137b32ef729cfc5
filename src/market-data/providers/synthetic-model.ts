import { hashString, mulberry32, NormalStream } from './synthetic-random';

// Bound once: global lookups are slow in hot loops under Jest's VM sandbox.
const { exp, log, sqrt, round, max } = Math;

/**
 * The synthetic price model. Every equity's daily log-return shock is
 *   vol_t · (beta · market_t + Σ loading_k · spread_k,t + idio · z_t) + rates_loading · rates_t
 * where vol_t is a slow, mean-one volatility regime shared by all equities,
 * market/spread/rates are common factor shocks for the seed, and z_t is the
 * symbol's own noise. Log prices follow trend + x_t with x_t a weakly
 * mean-reverting sum of shocks (half-life ≈ 2.7 years), so 25 years of walk
 * keeps prices in a plausible range.
 */

export const SPREAD_FACTORS = ['growth', 'momentum', 'size', 'quality', 'lowvol'] as const;
export type SpreadFactor = (typeof SPREAD_FACTORS)[number];

const SQRT_252 = sqrt(252);
/** Annual volatilities of the common factors. */
export const MARKET_VOL = 0.17;
const MARKET_DRIFT = 0.07;
const SPREAD_VOL: Record<SpreadFactor, number> = { growth: 0.07, momentum: 0.09, size: 0.07, quality: 0.04, lowvol: 0.06 };
const RATES_VOL = 0.14;
/** Correlation of the rates factor (long Treasuries) with the market shock. */
const RATES_MARKET_CORR = -0.25;
const REGIME_PERSISTENCE = 0.98;
const REGIME_SD = 0.3;
/** Daily pull of the log-price deviation back to trend. */
export const MEAN_REVERSION = 1 / 1000;

export interface SymbolProfile {
  symbol: string;
  /** Price on the epoch day. */
  startPrice: number;
  /** Annual trend of the log price. */
  drift: number;
  beta: number;
  loadings: Record<SpreadFactor, number>;
  ratesLoading: number;
  /** Annual idiosyncratic volatility. */
  idioVol: number;
  /** Approximate total annual volatility. */
  totalVol: number;
  /** Typical daily share volume. */
  baseVolume: number;
}

type EtfSpec = Omit<SymbolProfile, 'symbol' | 'totalVol' | 'loadings'> & { loadings?: Partial<Record<SpreadFactor, number>> };

/** Factor ETFs, built so that VUG−VTV, MTUM−SPY, IWM−SPY, QUAL−SPY, USMV−SPY carry their factor. */
const ETFS: Record<string, EtfSpec> = {
  SPY: { startPrice: 145, drift: 0.07, beta: 1, ratesLoading: 0, idioVol: 0.01, baseVolume: 80e6 },
  VUG: { startPrice: 60, drift: 0.08, beta: 1.05, loadings: { growth: 0.5 }, ratesLoading: 0, idioVol: 0.02, baseVolume: 1e6 },
  VTV: { startPrice: 45, drift: 0.065, beta: 0.95, loadings: { growth: -0.5 }, ratesLoading: 0, idioVol: 0.02, baseVolume: 2e6 },
  MTUM: { startPrice: 55, drift: 0.08, beta: 1, loadings: { momentum: 1 }, ratesLoading: 0, idioVol: 0.02, baseVolume: 1e6 },
  IWM: { startPrice: 50, drift: 0.06, beta: 1.15, loadings: { size: 1 }, ratesLoading: 0, idioVol: 0.02, baseVolume: 25e6 },
  QUAL: { startPrice: 50, drift: 0.075, beta: 0.95, loadings: { quality: 1 }, ratesLoading: 0, idioVol: 0.015, baseVolume: 1e6 },
  USMV: { startPrice: 30, drift: 0.06, beta: 0.75, loadings: { lowvol: 1 }, ratesLoading: 0, idioVol: 0.015, baseVolume: 2e6 },
  TLT: { startPrice: 85, drift: 0.02, beta: 0, ratesLoading: 1, idioVol: 0.01, baseVolume: 15e6 },
  QQQ: { startPrice: 90, drift: 0.09, beta: 1.15, loadings: { growth: 0.8 }, ratesLoading: 0, idioVol: 0.03, baseVolume: 40e6 },
};

function totalVol(beta: number, loadings: Record<SpreadFactor, number>, ratesLoading: number, idioVol: number): number {
  let variance = (beta * MARKET_VOL) ** 2 + idioVol ** 2 + (ratesLoading * RATES_VOL) ** 2;
  for (const f of SPREAD_FACTORS) variance += (loadings[f] * SPREAD_VOL[f]) ** 2;
  return sqrt(variance);
}

function zeroLoadings(): Record<SpreadFactor, number> {
  return { growth: 0, momentum: 0, size: 0, quality: 0, lowvol: 0 };
}

function stockProfile(symbol: string): SymbolProfile {
  const u = mulberry32(hashString(symbol, 0x5eed));
  const beta = 0.3 + 1.5 * u();
  const targetVol = 0.15 + 0.45 * u();
  const loadings: Record<SpreadFactor, number> = {
    growth: (u() - 0.5) * 1.2,
    momentum: (u() - 0.5) * 1.0,
    size: (u() - 0.3) * 1.2,
    quality: (u() - 0.5) * 0.8,
    lowvol: (u() - 0.5) * 0.8,
  };
  const ratesLoading = (u() - 0.5) * 0.3;
  const systematic = totalVol(beta, loadings, ratesLoading, 0);
  const idioVol = sqrt(max(targetVol ** 2 - systematic ** 2, 0.08 ** 2));
  const drift = -0.03 + 0.13 * u();
  const startPrice = round(20 * exp(log(25) * u()) * 100) / 100;
  const baseVolume = round(2e5 * exp(log(250) * u()));
  const vol = totalVol(beta, loadings, ratesLoading, idioVol);
  return { symbol, startPrice, drift, beta, loadings, ratesLoading, idioVol, totalVol: vol, baseVolume };
}

/** True for the model's factor ETFs (SPY, VUG, …), which never split and pay quarterly dividends. */
export function isSyntheticEtf(symbol: string): boolean {
  return Object.hasOwn(ETFS, symbol.trim().toUpperCase());
}

const profiles = new Map<string, SymbolProfile>();

/** The model parameters of a symbol (seed-independent; case-insensitive). */
export function syntheticProfile(symbol: string): SymbolProfile {
  const key = symbol.trim().toUpperCase();
  let profile = profiles.get(key);
  if (!profile) {
    const etf = Object.hasOwn(ETFS, key) ? ETFS[key] : undefined;
    if (etf) {
      const loadings = { ...zeroLoadings(), ...etf.loadings };
      profile = { ...etf, symbol: key, loadings, totalVol: totalVol(etf.beta, loadings, etf.ratesLoading, etf.idioVol) };
    } else {
      profile = stockProfile(key);
    }
    profiles.set(key, profile);
  }
  return profile;
}

/** Daily common-factor shocks for one seed, grown on demand from the epoch. */
export class FactorSeries {
  length = 0;
  regime: Float64Array = new Float64Array(0);
  market: Float64Array = new Float64Array(0);
  rates: Float64Array = new Float64Array(0);
  spreads: Record<SpreadFactor, Float64Array> = this.allocSpreads(0);
  private readonly normals: NormalStream;
  private logRegime = 0;

  constructor(seed: number) {
    this.normals = new NormalStream(hashString('__factors__', seed));
  }

  ensure(length: number): void {
    if (length <= this.length) return;
    this.grow(length);
    const n = this.normals;
    const regimeShock = REGIME_SD * sqrt(1 - REGIME_PERSISTENCE ** 2);
    const ratesCorr = sqrt(1 - RATES_MARKET_CORR ** 2);
    for (let t = this.length; t < length; t++) {
      this.logRegime = REGIME_PERSISTENCE * this.logRegime + regimeShock * n.next();
      this.regime[t] = exp(this.logRegime - REGIME_SD ** 2);
      const zMarket = n.next();
      this.market[t] = (MARKET_VOL / SQRT_252) * zMarket;
      this.rates[t] = (RATES_VOL / SQRT_252) * (RATES_MARKET_CORR * zMarket + ratesCorr * n.next());
      for (const f of SPREAD_FACTORS) this.spreads[f][t] = (SPREAD_VOL[f] / SQRT_252) * n.next();
    }
    this.length = length;
  }

  private grow(length: number): void {
    if (length <= this.market.length) return;
    const capacity = max(length, this.market.length * 2, 1024);
    const copy = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.regime = copy(this.regime);
    this.market = copy(this.market);
    this.rates = copy(this.rates);
    const spreads = this.allocSpreads(capacity);
    for (const f of SPREAD_FACTORS) spreads[f].set(this.spreads[f].subarray(0, this.length));
    this.spreads = spreads;
  }

  private allocSpreads(size: number): Record<SpreadFactor, Float64Array> {
    const out = {} as Record<SpreadFactor, Float64Array>;
    for (const f of SPREAD_FACTORS) out[f] = new Float64Array(size);
    return out;
  }
}

/**
 * One symbol's log closes by trading-day index since the epoch, grown on
 * demand. Only logs are stored: exp and rounding happen on read, so a long
 * walk costs little more than its random draws.
 */
export class SymbolSeries {
  length = 0;
  private logCloses: Float64Array = new Float64Array(0);
  private readonly normals: NormalStream;
  private deviation = 0;

  constructor(
    readonly profile: SymbolProfile,
    seed: number,
  ) {
    this.normals = new NormalStream(hashString(profile.symbol, seed));
  }

  ensure(length: number, factors: FactorSeries): void {
    if (length <= this.length) return;
    factors.ensure(length);
    if (length > this.logCloses.length) {
      const next = new Float64Array(max(length, this.logCloses.length * 2, 1024));
      next.set(this.logCloses.subarray(0, this.length));
      this.logCloses = next;
    }
    this.walk(this.length, length, factors);
    this.length = length;
  }

  /** Close at trading-day index t (< length), rounded to 4 decimals. */
  close(t: number): number {
    return round(exp(this.logCloses[t]) * 1e4) / 1e4;
  }

  /** Hot loop: everything it touches is hoisted into locals. */
  private walk(from: number, to: number, factors: FactorSeries): void {
    const p = this.profile;
    const { beta, ratesLoading, drift } = p;
    const { growth: lg, momentum: lm, size: ls, quality: lq, lowvol: ll } = p.loadings;
    const { growth, momentum, size, quality, lowvol } = factors.spreads;
    const { market, regime, rates } = factors;
    const logCloses = this.logCloses;
    const normals = this.normals;
    const logStart = log(p.startPrice);
    const idio = p.idioVol / SQRT_252;
    const keep = 1 - MEAN_REVERSION;
    let deviation = this.deviation;
    for (let t = from; t < to; t++) {
      if (t > 0) {
        const equity = beta * market[t] + lg * growth[t] + lm * momentum[t] + ls * size[t] +
          lq * quality[t] + ll * lowvol[t] + idio * normals.next();
        deviation = keep * deviation + regime[t] * equity + ratesLoading * rates[t];
      }
      logCloses[t] = logStart + (drift * t) / 252 + deviation;
    }
    this.deviation = deviation;
  }
}
