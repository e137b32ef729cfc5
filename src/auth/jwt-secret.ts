import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSettings } from '../config/settings';

/**
 * The configured secret, or (outside production) one generated once and kept
 * under the data directory so tokens survive restarts.
 */
export function resolveJwtSecret(settings: AppSettings): string {
  if (settings.jwtSecret) return settings.jwtSecret;
  if (settings.nodeEnv === 'production') throw new Error('JWT_SECRET is required when NODE_ENV=production');
  const file = join(settings.dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(settings.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
