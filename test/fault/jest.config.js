/**
 * The fault suite (`npm run test:fault`): real OS processes of the built app
 * (`npm run build` first; the script does it) against the PostgreSQL server in
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * Files run one at a time: each spawns several app processes and measures
 * timings that a parallel file would distort. Native ESM like the main suite.
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testRegex: 'test/fault/.*\\.fault-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testTimeout: 300_000,
  verbose: true,
};
