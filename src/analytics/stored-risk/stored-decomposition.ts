import { groupsOf, positionContribution } from '../calculators/decomposition-section';
import type { DecompositionRecord, PositionDecompositionRecord } from '../calculators/decomposition-types';

/**
 * The decomposition section's stored form. Its positions are stored as
 * columns of the numbers nothing else gives, without key names; weight,
 * share and marginal are rebuilt from them (e / d, amount / total,
 * amount / e) and the sector and tag groups by the calculator's own
 * groupsOf, so what is read back is the record computed, number for number
 * (stored-risk.spec.ts checks this on records of every kind of position; a
 * check per record cost a sixth of the risk phase). About a quarter of the
 * full form's size.
 */
interface PositionColumns {
  readonly position_id: string[];
  readonly symbol: string[];
  /** null where it is the symbol (every stock). */
  readonly price_symbol: (string | null)[];
  readonly sector: string[];
  readonly tags: string[][];
  readonly exposure: number[];
  /** Contribution amounts; null for a position outside the P&L window (its marginal is null). */
  readonly volatility: (number | null)[];
  readonly var_95: (number | null)[];
  readonly var_99: (number | null)[];
}

type StoredDecomposition = Omit<DecompositionRecord, 'positions' | 'by_sector' | 'by_tag'> & { position_columns: PositionColumns };

export function toStoredDecomposition(section: unknown): unknown {
  const d = section as DecompositionRecord | null;
  if (!d || !Array.isArray(d.positions) || !Array.isArray(d.by_sector) || !Array.isArray(d.by_tag)) return section;
  const { positions, by_sector: _s, by_tag: _t, ...rest } = d;
  return { ...rest, position_columns: columnsOf(positions) } satisfies StoredDecomposition;
}

export function fromStoredDecomposition(section: unknown): unknown {
  const s = section as StoredDecomposition | null;
  if (!s || typeof s !== 'object' || !s.position_columns) return section;
  const { position_columns: c, window_days, observations, return_denominator: d, volatility_1d, var_95, var_99, ...after } = s;
  const positions: PositionDecompositionRecord[] = c.position_id.map((id, i) => {
    const e = c.exposure[i];
    return {
      position_id: id as PositionDecompositionRecord['position_id'],
      symbol: c.symbol[i],
      price_symbol: c.price_symbol[i] ?? c.symbol[i],
      sector: c.sector[i],
      tags: c.tags[i],
      exposure: e,
      weight: e / d,
      volatility: positionContribution(c.volatility[i], volatility_1d.amount, e),
      var_95: positionContribution(c.var_95[i], var_95.amount, e),
      var_99: positionContribution(c.var_99[i], var_99.amount, e),
    };
  });
  const totals = { volatility: volatility_1d.amount, var_95: var_95.amount, var_99: var_99.amount };
  return {
    window_days, observations, return_denominator: d, volatility_1d, var_95, var_99,
    positions, ...groupsOf(positions, totals, d), ...after,
  };
}

function columnsOf(positions: readonly PositionDecompositionRecord[]): PositionColumns {
  // a position outside the P&L window is the one without a marginal
  const amount = (p: PositionDecompositionRecord, m: 'volatility' | 'var_95' | 'var_99') => (p[m].marginal === null ? null : p[m].contribution_amount);
  return {
    position_id: positions.map((p) => p.position_id),
    symbol: positions.map((p) => p.symbol),
    price_symbol: positions.map((p) => (p.price_symbol === p.symbol ? null : p.price_symbol)),
    sector: positions.map((p) => p.sector),
    tags: positions.map((p) => p.tags),
    exposure: positions.map((p) => p.exposure),
    volatility: positions.map((p) => amount(p, 'volatility')),
    var_95: positions.map((p) => amount(p, 'var_95')),
    var_99: positions.map((p) => amount(p, 'var_99')),
  };
}
