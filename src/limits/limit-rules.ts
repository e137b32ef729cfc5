/**
 * Risk limits (DESIGN §9): what each limit means, its valid range, and the
 * pure evaluation of a limit set against one day's metrics. No I/O.
 *
 * Units follow the risk record the value is read from:
 * - VaR in percent of total value (2.5 = 2.5 %), like `risk.var.var_95_pct`;
 * - volatility, drawdown, exposures and weights as fractions (0.25 = 25 %);
 * - exposures as a multiple of total value (1.5 = gross 150 % of value);
 * - weights as a share of gross exposure (Σ |market value|), so always 0..1.
 */

export const LIMIT_FIELDS = [
  'var_95_pct_max',
  'var_99_pct_max',
  'volatility_max',
  'max_drawdown_min',
  'gross_exposure_max',
  'net_exposure_min',
  'net_exposure_max',
  'top_position_weight_max',
  'beta_min',
  'beta_max',
  'sector_weight_max',
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
export type LimitSet = Partial<Record<LimitField, number | null>>;

/** What a limit bounds, its direction and its valid range (inclusive unless `exclusiveMin`). */
interface LimitDefinition {
  metric: keyof Omit<LimitMetrics, 'sector_weights'> | 'sector_weight';
  bound: 'max' | 'min';
  min: number;
  max: number;
  exclusiveMin?: boolean;
  unit: string;
}

export const LIMIT_DEFINITIONS: Record<LimitField, LimitDefinition> = {
  var_95_pct_max: { metric: 'var_95_pct', bound: 'max', min: 0, max: 100, exclusiveMin: true, unit: 'percent of total value (1-day historical VaR 95)' },
  var_99_pct_max: { metric: 'var_99_pct', bound: 'max', min: 0, max: 100, exclusiveMin: true, unit: 'percent of total value (1-day historical VaR 99)' },
  volatility_max: { metric: 'volatility_63d', bound: 'max', min: 0, max: 10, exclusiveMin: true, unit: 'annualised 63-day volatility, fraction' },
  max_drawdown_min: { metric: 'max_drawdown', bound: 'min', min: -1, max: 0, unit: 'fraction ≤ 0 (−0.2 = −20 %)' },
  gross_exposure_max: { metric: 'gross_exposure', bound: 'max', min: 0, max: 100, exclusiveMin: true, unit: 'gross exposure / total value' },
  net_exposure_min: { metric: 'net_exposure', bound: 'min', min: -100, max: 100, unit: 'net exposure / total value' },
  net_exposure_max: { metric: 'net_exposure', bound: 'max', min: -100, max: 100, unit: 'net exposure / total value' },
  top_position_weight_max: { metric: 'top_position_weight', bound: 'max', min: 0, max: 1, exclusiveMin: true, unit: 'largest |market value| / gross exposure' },
  beta_min: { metric: 'beta', bound: 'min', min: -20, max: 20, unit: '90-day beta to SPY' },
  beta_max: { metric: 'beta', bound: 'max', min: -20, max: 20, unit: '90-day beta to SPY' },
  sector_weight_max: { metric: 'sector_weight', bound: 'max', min: 0, max: 1, exclusiveMin: true, unit: "any sector's gross exposure / gross exposure" },
};

const PAIRS: Array<[LimitField, LimitField]> = [
  ['net_exposure_min', 'net_exposure_max'],
  ['beta_min', 'beta_max'],
];

export interface LimitProblem {
  field: string;
  message: string;
}

/** Every problem of a limit set (ranges, min > max); empty when it is valid. */
export function limitProblems(limits: LimitSet): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const field of LIMIT_FIELDS) {
    const v = limits[field];
    if (v === undefined || v === null) continue;
    const d = LIMIT_DEFINITIONS[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push({ field, message: 'must be a finite number or null' });
      continue;
    }
    const belowMin = d.exclusiveMin ? v <= d.min : v < d.min;
    if (belowMin || v > d.max) {
      const range = `${d.exclusiveMin ? '(' : '['}${d.min}, ${d.max}]`;
      problems.push({ field, message: `must be in ${range} (${d.unit}), got ${v}` });
    }
  }
  for (const [lo, hi] of PAIRS) {
    const a = limits[lo];
    const b = limits[hi];
    if (typeof a === 'number' && typeof b === 'number' && a > b) problems.push({ field: lo, message: `${lo} ${a} is greater than ${hi} ${b}` });
  }
  return problems;
}

/** One day's values the limits are checked against; null: not available that day. */
export interface LimitMetrics {
  var_95_pct: number | null;
  var_99_pct: number | null;
  volatility_63d: number | null;
  max_drawdown: number | null;
  gross_exposure: number | null;
  net_exposure: number | null;
  top_position_weight: number | null;
  beta: number | null;
  /** Sector → share of gross exposure; null when the risk record has no exposures section. */
  sector_weights: ReadonlyMap<string, number> | null;
}

/** One limit checked: `key` names the breach episode (one per sector for sector_weight_max). */
export interface LimitObservation {
  key: string;
  limit: LimitField;
  subject: string | null;
  value: number;
  threshold: number;
  breached: boolean;
}

export interface LimitEvaluation {
  observations: LimitObservation[];
  /** Limits set but not checkable that day, with why. */
  skipped: Array<{ limit: LimitField; reason: string }>;
}

const breaches = (bound: 'max' | 'min', value: number, threshold: number) => (bound === 'max' ? value > threshold : value < threshold);

/** Checks each set limit against the metrics. */
export function evaluateLimits(limits: LimitSet, m: LimitMetrics): LimitEvaluation {
  const observations: LimitObservation[] = [];
  const skipped: LimitEvaluation['skipped'] = [];
  for (const limit of LIMIT_FIELDS) {
    const threshold = limits[limit];
    if (typeof threshold !== 'number') continue;
    const d = LIMIT_DEFINITIONS[limit];
    if (d.metric === 'sector_weight') {
      if (!m.sector_weights) {
        skipped.push({ limit, reason: 'no sector exposures in the risk record' });
        continue;
      }
      for (const [sector, value] of [...m.sector_weights].sort(([a], [b]) => a.localeCompare(b))) {
        observations.push({ key: `${limit}:${sector}`, limit, subject: sector, value, threshold, breached: breaches(d.bound, value, threshold) });
      }
      continue;
    }
    const value = m[d.metric];
    if (value === null || !Number.isFinite(value)) {
      skipped.push({ limit, reason: `${d.metric} not available` });
      continue;
    }
    observations.push({ key: limit, limit, subject: null, value, threshold, breached: breaches(d.bound, value, threshold) });
  }
  return { observations, skipped };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Sector → share of gross exposure from the risk record's `exposures`
 * section (written by the security-master work; read defensively: absent or
 * unrecognised → null and the sector limit is skipped). Accepts a list or a
 * map of groups under `by_sector`, `sector` or `sectors`, each with a gross
 * amount (`gross`, `gross_exposure` or `gross_value`).
 */
export function sectorWeights(exposures: unknown): Map<string, number> | null {
  const e = obj(exposures);
  if (!e) return null;
  const groups = e.by_sector ?? e.sector ?? e.sectors;
  let entries: Array<[string, unknown]>;
  if (Array.isArray(groups)) {
    entries = groups.map((g) => {
      const o = obj(g) ?? {};
      const name = [o.sector, o.name, o.key, o.group].find((x) => typeof x === 'string') as string | undefined;
      return [name ?? '', o];
    });
  } else if (obj(groups)) {
    entries = Object.entries(obj(groups)!);
  } else return null;
  const gross = new Map<string, number>();
  for (const [name, g] of entries) {
    const o = obj(g);
    const amount = o ? (num(o.gross) ?? num(o.gross_exposure) ?? num(o.gross_value)) : null;
    if (!name || amount === null) return null;
    gross.set(name, (gross.get(name) ?? 0) + Math.abs(amount));
  }
  const total = [...gross.values()].reduce((s, x) => s + x, 0);
  if (!(total > 0)) return gross.size ? null : new Map();
  return new Map([...gross].map(([k, v]) => [k, v / total]));
}

/** The risk record's top-level sections limitMetrics reads (the rest of a record is never loaded for limits). */
export const LIMIT_RISK_SECTIONS: readonly string[] = ['var', 'volatility', 'performance', 'concentration', 'beta', 'exposures', 'total_value', 'gross_exposure'];

/** The day's metrics from a stored risk record and the day's snapshot totals (values are read defensively). */
export function limitMetrics(risk: unknown, snapshot: { total_value: number; gross_exposure: number; net_exposure: number } | null): LimitMetrics {
  const r = obj(risk) ?? {};
  const v = obj(r.var);
  const value = snapshot?.total_value ?? num(r.total_value);
  const perValue = (x: number | null | undefined) => (typeof x === 'number' && value !== null && value > 0 ? x / value : null);
  return {
    var_95_pct: num(v?.var_95_pct),
    var_99_pct: num(v?.var_99_pct),
    volatility_63d: num(obj(r.volatility)?.vol_63d),
    max_drawdown: num(obj(r.performance)?.max_drawdown),
    gross_exposure: perValue(snapshot?.gross_exposure ?? num(r.gross_exposure)),
    net_exposure: perValue(snapshot?.net_exposure),
    top_position_weight: num(obj(r.concentration)?.largest_weight),
    beta: num(obj(r.beta)?.beta),
    sector_weights: sectorWeights(r.exposures),
  };
}
