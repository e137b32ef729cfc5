// @ts-ignore -- import attributes need module esnext; tsc (commonjs) emits a plain require, Jest's ESM mode wants the attribute
import rawScenarios from '../stress-scenarios.v1.json' with { type: 'json' };

/** Factors a stress scenario may shock (see stress-scenarios.v1.json). */
export const FACTOR_NAMES = ['market', 'growth', 'momentum', 'size', 'quality', 'low_vol'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];
export const STRESS_FACTORS = [...FACTOR_NAMES, 'rates'] as const;
export type StressFactor = (typeof STRESS_FACTORS)[number];

export interface StressScenario {
  readonly id: string;
  readonly name: string;
  readonly description: string;
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
    return { id: s.id, name: s.name, description, shocks };
  });
  return { version: raw.version as number, scenarios };
}

/** The shipped scenario set (src/analytics/stress-scenarios.v1.json). */
export const DEFAULT_STRESS_SCENARIOS: StressScenarioSet = parseStressScenarios(rawScenarios);
