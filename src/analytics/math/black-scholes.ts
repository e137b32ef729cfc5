import { Maybe, ok, unavailable } from './maybe';
import { normCdf, normPdf } from './normal';

export type OptionKind = 'call' | 'put';

export interface BlackScholesInput {
  readonly kind: OptionKind;
  /** Underlying price. */
  readonly spot: number;
  readonly strike: number;
  /** Time to expiry in years (calendar days / 365). ≤ 0 = expired. */
  readonly timeYears: number;
  /** Continuously compounded risk-free rate (0.05 = 5%). */
  readonly rate: number;
  /** Annualised volatility (0.2 = 20%). ≤ 0 = deterministic underlying. */
  readonly volatility: number;
}

/** Per-share value and Greeks of one European option (no dividends). */
export interface OptionValuation {
  readonly price: number;
  /** ∂V/∂S. */
  readonly delta: number;
  /** ∂²V/∂S². */
  readonly gamma: number;
  /** Change in value per CALENDAR day that passes (annual theta / 365). */
  readonly theta: number;
  /** Change in value per 1 percentage point of volatility (∂V/∂σ / 100). */
  readonly vega: number;
  /** Change in value per 1 percentage point of the rate (∂V/∂r / 100). */
  readonly rho: number;
}

const DAYS_PER_YEAR = 365;

/**
 * Black–Scholes–Merton price and Greeks (Hull, "Options, Futures and Other
 * Derivatives", ch. 15 and 19). Expired options (T ≤ 0) are worth their
 * intrinsic value with delta 0 or ±1 and no other Greeks; a zero volatility
 * prices the discounted forward payoff. Invalid inputs give a reason.
 */
export function blackScholes(input: BlackScholesInput): Maybe<OptionValuation> {
  const { kind, spot: s, strike: k, timeYears: t, rate: r, volatility: v } = input;
  if (![s, k, t, r, v].every(Number.isFinite)) return unavailable('option inputs must be finite numbers');
  if (!(s > 0)) return unavailable(`underlying price must be positive, got ${s}`);
  if (!(k > 0)) return unavailable(`strike must be positive, got ${k}`);
  if (t <= 0) return ok(expired(kind, s, k));
  if (v <= 0) return ok(deterministic(kind, s, k, t, r));
  return ok(priced(kind, s, k, t, r, v));
}

function priced(kind: OptionKind, s: number, k: number, t: number, r: number, v: number): OptionValuation {
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r + 0.5 * v * v) * t) / (v * sqrtT);
  const d2 = d1 - v * sqrtT;
  const discK = k * Math.exp(-r * t);
  const pdf = normPdf(d1);
  const gamma = pdf / (s * v * sqrtT);
  const vega = (s * sqrtT * pdf) / 100;
  const decay = (-s * pdf * v) / (2 * sqrtT);
  if (kind === 'call') {
    const nd1 = normCdf(d1);
    const nd2 = normCdf(d2);
    return {
      price: Math.max(0, s * nd1 - discK * nd2),
      delta: nd1,
      gamma,
      theta: (decay - r * discK * nd2) / DAYS_PER_YEAR,
      vega,
      rho: (t * discK * nd2) / 100,
    };
  }
  const nmd1 = normCdf(-d1);
  const nmd2 = normCdf(-d2);
  return {
    price: Math.max(0, discK * nmd2 - s * nmd1),
    delta: -nmd1,
    gamma,
    theta: (decay + r * discK * nmd2) / DAYS_PER_YEAR,
    vega,
    rho: (-t * discK * nmd2) / 100,
  };
}

/** At or after expiry: intrinsic value; at the money counts as worthless (delta 0). */
function expired(kind: OptionKind, s: number, k: number): OptionValuation {
  const inTheMoney = kind === 'call' ? s > k : s < k;
  const price = kind === 'call' ? Math.max(0, s - k) : Math.max(0, k - s);
  const delta = inTheMoney ? (kind === 'call' ? 1 : -1) : 0;
  return { price, delta, gamma: 0, theta: 0, vega: 0, rho: 0 };
}

/** σ → 0 limit: the payoff on the forward, discounted. */
function deterministic(kind: OptionKind, s: number, k: number, t: number, r: number): OptionValuation {
  const discK = k * Math.exp(-r * t);
  const sign = kind === 'call' ? 1 : -1;
  const inTheMoney = sign * (s - discK) > 0;
  if (!inTheMoney) return { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 };
  return {
    price: sign * (s - discK),
    delta: sign,
    gamma: 0,
    theta: (-sign * r * discK) / DAYS_PER_YEAR,
    vega: 0,
    rho: (sign * t * discK) / 100,
  };
}
