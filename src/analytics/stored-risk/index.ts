import { fromStoredCorrelation, toStoredCorrelation } from './stored-correlation';
import { fromStoredDecomposition, toStoredDecomposition } from './stored-decomposition';
import { fromStoredExposures, toStoredExposures } from './stored-exposures';

/**
 * The stored form of a risk record (portfolio_risk.metrics): the record as
 * computed, less what can be rebuilt from the rest exactly. The largest
 * sections (correlation, decomposition, exposures) each have a compact form
 * that reads back as the very record computed; a section not in the form its
 * codec expects (an older record, an unusual value) is stored and read as it
 * is. Every reader of the column goes through fromStoredRisk (RiskStore,
 * DayMetricsReader).
 */
type Sections = { correlation?: unknown; decomposition?: unknown; exposures?: unknown; [key: string]: unknown };

const CODECS: ReadonlyArray<[keyof Sections, (v: unknown) => unknown, (v: unknown) => unknown]> = [
  ['correlation', toStoredCorrelation, fromStoredCorrelation],
  ['decomposition', toStoredDecomposition, fromStoredDecomposition],
  ['exposures', toStoredExposures, fromStoredExposures],
];

export function toStoredRisk(metrics: unknown): unknown {
  return mapSections(metrics, 1);
}

export function fromStoredRisk(stored: unknown): unknown {
  return mapSections(stored, 2);
}

/** The record with each present section passed through its codec's `to` (1) or `from` (2); the same object when none changed. */
function mapSections(record: unknown, way: 1 | 2): unknown {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return record;
  const r = record as Sections;
  let out: Sections | null = null;
  for (const codec of CODECS) {
    const key = codec[0];
    if (r[key] === undefined || r[key] === null) continue;
    const v = codec[way](r[key]);
    if (v !== r[key]) (out ??= { ...r })[key] = v;
  }
  return out ?? record;
}
