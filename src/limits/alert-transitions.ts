import type { LimitEvaluation, LimitField, LimitObservation } from './limit-rules';

/** An open alert as the transition needs it. */
export interface OpenAlert {
  id: string;
  limit_key: string;
}

export interface AlertTransitions {
  /** Breaches with no open alert: open one. */
  open: LimitObservation[];
  /** Open alerts still breached: keep open with the latest value. */
  keep: Array<{ alertId: string; observation: LimitObservation }>;
  /** Open alerts no longer breached (value within the limit), or whose limit was removed (value null). */
  resolve: Array<{ alertId: string; observation: LimitObservation | null }>;
}

/**
 * How one portfolio's alerts move after an evaluation. An open alert whose
 * limit could not be checked this time (metric unavailable) stays as it is:
 * absence of data is not a resolution.
 */
export function alertTransitions(open: readonly OpenAlert[], evaluation: LimitEvaluation, limitsSet: ReadonlySet<LimitField>): AlertTransitions {
  const byKey = new Map(open.map((a) => [a.limit_key, a]));
  const seen = new Set<string>();
  const out: AlertTransitions = { open: [], keep: [], resolve: [] };
  for (const o of evaluation.observations) {
    seen.add(o.key);
    const alert = byKey.get(o.key);
    if (o.breached && alert) out.keep.push({ alertId: alert.id, observation: o });
    else if (o.breached) out.open.push(o);
    else if (alert) out.resolve.push({ alertId: alert.id, observation: o });
  }
  const skipped = new Set(evaluation.skipped.map((s) => s.limit));
  for (const a of open) {
    if (seen.has(a.limit_key)) continue;
    const limit = a.limit_key.split(':')[0] as LimitField;
    // the limit was cleared, or (sector) that sector is no longer held
    if (!limitsSet.has(limit) || !skipped.has(limit)) out.resolve.push({ alertId: a.id, observation: null });
  }
  return out;
}
