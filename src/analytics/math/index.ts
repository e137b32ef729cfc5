/** Pure analytics math: plain functions on number arrays, no I/O. */
export * from './maybe';
export * from './returns';
export * from './volatility';
export * from './regression';
export * from './ols';
export * from './var';
export * from './performance';
export * from './correlation';
export * from './concentration';
export * from './normal';
export * from './black-scholes';
export * from './stress';
