import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDatabase } from './test-database';

/** The built operator CLI (`npm test` builds dist/ first). */
export const CLI = join(process.cwd(), 'dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws unless the CLI has been built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: `npm test` builds first (npm run build)');
}

/** Runs the operator CLI as its own process against the test database, with only the environment given. */
export function cli(db: TestDatabase, dataDir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, DATA_DIR: dataDir, JWT_SECRET: 'cli-test-secret-cli-test-secret-0123456', LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
