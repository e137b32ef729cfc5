import type { PortfolioFailure } from '../batch-work.repository';

export interface ChunkOutcome {
  processed: number;
  failures: PortfolioFailure[];
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
