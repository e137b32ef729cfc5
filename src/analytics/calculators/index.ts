/** Pure calculators called by the batch: daily snapshot and risk record. */
export * from './types';
export * from './position-valuation';
export * from './snapshot';
export * from './ledger-snapshot';
export * from './market';
export * from './stress-scenarios';
export * from './factors';
export * from './holdings';
export * from './risk-types';
export * from './risk';
export * from './risk-position';
export * from './decomposition-types';
export * from './decomposition-section';
