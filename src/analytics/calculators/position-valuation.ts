import { CalendarDate } from '../../common/branded';
import { daysBetween } from '../../common/dates';
import { Maybe, OptionValuation, blackScholes, isPresent, ok, unavailable } from '../math';
import { AnalyticsSettings, OPTION_MULTIPLIER, PositionInput, PositionType } from './types';

const DAYS_PER_YEAR = 365;

export function isOption(type: PositionType): boolean {
  return type === 'LC' || type === 'LP' || type === 'SC' || type === 'SP';
}

export function isShort(type: PositionType): boolean {
  return type === 'SHORT' || type === 'SC' || type === 'SP';
}

/** Quantity with the sign implied by the position type (short = negative). */
export function signedQuantity(p: PositionInput): number {
  const q = Math.abs(p.quantity);
  return isShort(p.positionType) ? -q : q;
}

export function multiplierOf(p: PositionInput): number {
  return isOption(p.positionType) ? OPTION_MULTIPLIER : 1;
}

/** The symbol whose closing price values the position (the underlying for options). */
export function priceSymbolOf(p: PositionInput): string {
  return isOption(p.positionType) && p.underlyingSymbol ? p.underlyingSymbol : p.symbol;
}

/** Cost basis, signed like the quantity (a short's cost is the credit received, negative). */
export function entryCost(p: PositionInput): number {
  return signedQuantity(p) * p.entryPrice * multiplierOf(p);
}

/**
 * Per-share Black–Scholes value and Greeks of an option position on `date`
 * with the underlying at `underlyingPrice`: T = calendar days to expiry / 365
 * (expired on or after the expiration date → intrinsic), IV from the position
 * or the default, rate from the settings.
 */
export function optionValuation(
  p: PositionInput,
  underlyingPrice: number,
  date: CalendarDate,
  settings: AnalyticsSettings,
): Maybe<OptionValuation> {
  if (!isPresent(p.strikePrice) || p.expirationDate === null) {
    return unavailable(`option position ${p.id} lacks a strike price or expiration date`);
  }
  const iv = isPresent(p.impliedVolatility) && p.impliedVolatility > 0 ? p.impliedVolatility : settings.defaultImpliedVolatility;
  return blackScholes({
    kind: p.positionType === 'LC' || p.positionType === 'SC' ? 'call' : 'put',
    spot: underlyingPrice,
    strike: p.strikePrice,
    timeYears: daysBetween(date, p.expirationDate) / DAYS_PER_YEAR,
    rate: settings.riskFreeRate,
    volatility: iv,
  });
}

/** A position's value and Greeks at one price: per-share figures and position totals. */
export interface PositionMark {
  /** Per-share value: the close for stocks, the BS value for options. */
  readonly unitPrice: number;
  /** unitPrice × signed quantity × multiplier. */
  readonly marketValue: number;
  /** Position Greeks: per-share Greeks × signed quantity × multiplier (stocks: delta = quantity). */
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  readonly rho: number;
}

/** Values a position from the close of its price symbol on `date`. */
export function markPosition(
  p: PositionInput,
  close: number,
  date: CalendarDate,
  settings: AnalyticsSettings,
): Maybe<PositionMark> {
  const q = signedQuantity(p);
  if (!isOption(p.positionType)) {
    if (!isPresent(close) || close < 0) return unavailable(`invalid close ${close} for ${p.symbol}`);
    return ok({ unitPrice: close, marketValue: q * close, delta: q, gamma: 0, theta: 0, vega: 0, rho: 0 });
  }
  const v = optionValuation(p, close, date, settings);
  if (v.value === null) return v;
  const m = q * OPTION_MULTIPLIER;
  const o = v.value;
  return ok({
    unitPrice: o.price,
    marketValue: o.price * m,
    delta: o.delta * m,
    gamma: o.gamma * m,
    theta: o.theta * m,
    vega: o.vega * m,
    rho: o.rho * m,
  });
}
