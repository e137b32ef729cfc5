import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Token revocation and shared login/registration limits (issue 10, item 5).
 * users.token_version is carried in every JWT; a trigger raises it whenever the
 * password hash or the role changes, by any path (API, CLI, SQL), so every
 * token issued before is rejected. auth_rate_limits holds the counters all API
 * processes share (see src/auth/auth-rate-limiter.ts).
 */
export class AccountSecurity1764400300000 implements MigrationInterface {
  name = 'AccountSecurity1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE FUNCTION users_revoke_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.token_version := OLD.token_version + 1;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER users_revoke_tokens BEFORE UPDATE OF password_hash, role ON users FOR EACH ROW
      WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.role IS DISTINCT FROM NEW.role)
      EXECUTE FUNCTION users_revoke_tokens()`);
    await q.query(`CREATE TABLE auth_rate_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL,
      window_start timestamptz NOT NULL,
      blocked_until timestamptz,
      expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX auth_rate_limits_expires_at ON auth_rate_limits (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_rate_limits`);
    await q.query(`DROP TRIGGER users_revoke_tokens ON users`);
    await q.query(`DROP FUNCTION users_revoke_tokens()`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
