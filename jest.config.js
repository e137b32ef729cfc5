/**
 * NestJS 12 packages are ESM-only and Jest on Node 20 cannot require() ESM, so
 * the suites run in Jest's native ESM mode (`npm test` sets
 * NODE_OPTIONS=--experimental-vm-modules). Consequences for specs: no
 * `__dirname` (use paths from the repo root), no `jest.mock` hoisting, and
 * `import { jest } from '@jest/globals'` where the jest object is needed.
 * Type checking happens once in `npm test` via `tsc --noEmit`, so ts-jest only
 * transpiles.
 */
const esm = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`.includes('--experimental-vm-modules');

module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '(src|test)/.*\\.(spec|e2e-spec|browser-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/fault/'],
  extensionsToTreatAsEsm: esm ? ['.ts'] : [],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: esm,
        diagnostics: false,
        tsconfig: {
          module: esm ? 'esnext' : 'commonjs',
          moduleResolution: esm ? 'bundler' : 'node',
          target: 'ES2022',
          isolatedModules: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          esModuleInterop: true,
          allowSyntheticDefaultImports: true,
          resolveJsonModule: true,
          strict: true,
          strictPropertyInitialization: false,
        },
      },
    ],
  },
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60000,
};
