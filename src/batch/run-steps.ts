import type { PhaseName, PhaseView } from './batch.types';
import { PHASES } from './batch.types';

/**
 * A run is a sequence of steps: for each date, the phases it works (market
 * data only on the first date: it fetches the whole run's range; with a phase
 * filter, only that phase). The durable position is (date index, phase);
 * pure functions here, so every process computes the same next step.
 */
export interface RunStep {
  dateIndex: number;
  phase: PhaseName;
}

export const initialPhases = (filter: PhaseName | null = null): PhaseView[] =>
  PHASES.map((name) => ({ name, status: filter && filter !== name ? 'skipped' : 'pending', started_at: null, finished_at: null, done: 0, total: 0 }));

/** Whether `phase` is worked on the date at `dateIndex`. */
function works(dateIndex: number, phase: PhaseName, filter: PhaseName | null): boolean {
  if (filter && filter !== phase) return false;
  return phase !== 'market_data' || dateIndex === 0;
}

/** The first step of a run of `dates` dates; null when it has none. */
export function firstStep(dates: number, filter: PhaseName | null): RunStep | null {
  return stepFrom({ dateIndex: 0, phase: PHASES[0] }, dates, filter);
}

/** The step after `current`; null when the run is over. */
export function nextStep(current: RunStep, dates: number, filter: PhaseName | null): RunStep | null {
  const i = PHASES.indexOf(current.phase);
  const next = i + 1 < PHASES.length ? { dateIndex: current.dateIndex, phase: PHASES[i + 1] } : { dateIndex: current.dateIndex + 1, phase: PHASES[0] };
  return stepFrom(next, dates, filter);
}

/** `from` itself when it is worked, else the next worked step. */
function stepFrom(from: RunStep, dates: number, filter: PhaseName | null): RunStep | null {
  let { dateIndex } = from;
  let p = PHASES.indexOf(from.phase);
  while (dateIndex < dates) {
    for (; p < PHASES.length; p++) if (works(dateIndex, PHASES[p], filter)) return { dateIndex, phase: PHASES[p] };
    dateIndex++;
    p = 0;
  }
  return null;
}

/**
 * The phase view as the run enters `step`: a new date starts from a fresh view
 * (phases not worked on it `skipped`), the step's phase is `running`.
 */
export function enterPhaseView(phases: PhaseView[], from: RunStep | null, step: RunStep, filter: PhaseName | null, now: string): PhaseView[] {
  const fresh = !from || from.dateIndex !== step.dateIndex || phases.length !== PHASES.length;
  const view = fresh ? initialPhases(filter).map((p) => (works(step.dateIndex, p.name, filter) ? p : { ...p, status: 'skipped' as const })) : phases.map((p) => ({ ...p }));
  const v = view.find((p) => p.name === step.phase)!;
  Object.assign(v, { status: 'running', started_at: now, finished_at: null, done: 0, total: 0 });
  return view;
}

/** The phase view with `phase` ended (`completed` or `failed`); its duration in ms. */
export function endPhaseView(phases: PhaseView[], phase: PhaseName, status: 'completed' | 'failed', now: string): { phases: PhaseView[]; durationMs: number | null } {
  const view = phases.map((p) => ({ ...p }));
  const v = view.find((p) => p.name === phase);
  if (!v) return { phases: view, durationMs: null };
  v.status = status;
  v.finished_at = now;
  if (status === 'completed') v.done = Math.max(v.done, v.total);
  return { phases: view, durationMs: v.started_at ? Date.parse(now) - Date.parse(v.started_at) : null };
}
