import type { BookPosition } from '../../portfolios/portfolio-book.reader';
import type { PortfolioFailure } from '../batch-work.repository';

export interface ChunkOutcome {
  processed: number;
  failures: PortfolioFailure[];
}

/** The symbol whose close values a position (the underlying for options). */
export const priceSymbol = (p: BookPosition): string => p.underlyingSymbol ?? p.symbol;

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
