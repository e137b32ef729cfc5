// @ts-ignore -- import attributes need module esnext; tsc (commonjs) emits a plain require, Jest's ESM mode wants the attribute
import rawScenarios from '../stress-scenarios.v3.json' with { type: 'json' };

/** Factors a stress scenario may shock (see stress-scenarios.v3.json). */
export const FACTOR_NAMES = ['market', 'growth', 'momentum', 'size', 'quality', 'low_vol'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];
export const STRESS_FACTORS = [...FACTOR_NAMES, 'rates'] as const;
export type StressFactor = (typeof STRESS_FACTORS)[number];

/** `historical`: the factor moves of a past window, with its source; `hypothetical`: a chosen shock. */
export type StressScenarioKind = 'historical' | 'hypothetical';

export interface StressScenario {
  readonly id: string;
  readonly name: string;
  readonly kind: StressScenarioKind;
  readonly description: string;
  /** Where a historical scenario's figures come from; null for a hypothetical one. */
  readonly source: string | null;
  /** The historical window (first and last close); null for a hypothetical one. */
  readonly window: { readonly from: string; readonly to: string } | null;
  /** Factor → return shock (−0.1 = −10%). */
  readonly shocks: Readonly<Partial<Record<StressFactor, number>>>;
}

export interface StressScenarioSet {
  readonly version: number;
  readonly scenarios: readonly StressScenario[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a scenario file; throws a TypeError naming the first problem. */
export function parseStressScenarios(raw: unknown): StressScenarioSet {
  if (!isRecord(raw) || !Number.isInteger(raw.version) || !Array.isArray(raw.scenarios)) {
    throw new TypeError('stress scenarios: expected { version: integer, scenarios: [...] }');
  }
  const ids = new Set<string>();
  const scenarios = raw.scenarios.map((s: unknown, i: number): StressScenario => {
    if (!isRecord(s) || typeof s.id !== 'string' || typeof s.name !== 'string' || !isRecord(s.shocks)) {
      throw new TypeError(`stress scenarios: scenario #${i} needs id, name and shocks`);
    }
    if (ids.has(s.id)) throw new TypeError(`stress scenarios: duplicate id ${s.id}`);
    ids.add(s.id);
    const shocks: Partial<Record<StressFactor, number>> = {};
    for (const [factor, shock] of Object.entries(s.shocks)) {
      if (!(STRESS_FACTORS as readonly string[]).includes(factor)) {
        throw new TypeError(`stress scenarios: ${s.id} shocks unknown factor ${factor}`);
      }
      if (typeof shock !== 'number' || !Number.isFinite(shock) || shock <= -1) {
        throw new TypeError(`stress scenarios: ${s.id} has an invalid shock for ${factor}`);
      }
      shocks[factor as StressFactor] = shock;
    }
    const description = typeof s.description === 'string' ? s.description : '';
    return { id: s.id, name: s.name, description, shocks, ...historyOf(s) };
  });
  return { version: raw.version as number, scenarios };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Kind, source and window; a historical scenario must name its source and window. */
function historyOf(s: Record<string, unknown>): Pick<StressScenario, 'kind' | 'source' | 'window'> {
  const kind = s.kind ?? 'hypothetical';
  if (kind !== 'historical' && kind !== 'hypothetical') throw new TypeError(`stress scenarios: ${String(s.id)} has an unknown kind ${String(kind)}`);
  if (kind === 'hypothetical') return { kind, source: typeof s.source === 'string' ? s.source : null, window: null };
  const w = s.window;
  if (typeof s.source !== 'string' || !s.source.trim()) throw new TypeError(`stress scenarios: historical ${String(s.id)} needs a source`);
  if (!isRecord(w) || typeof w.from !== 'string' || typeof w.to !== 'string' || !ISO_DATE.test(w.from) || !ISO_DATE.test(w.to) || w.from >= w.to) {
    throw new TypeError(`stress scenarios: historical ${String(s.id)} needs a window { from, to } of ISO dates`);
  }
  return { kind, source: s.source, window: { from: w.from, to: w.to } };
}

/** The shipped scenario set (src/analytics/stress-scenarios.v3.json; v1 and v2 are kept as published). */
export const DEFAULT_STRESS_SCENARIOS: StressScenarioSet = parseStressScenarios(rawScenarios);
