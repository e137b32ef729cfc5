import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, portfolios and positions. gen_random_uuid() is built in (PG 13+, PGlite). */
export class Foundation1764300000000 implements MigrationInterface {
  name = 'Foundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      full_name text NOT NULL,
      role text NOT NULL DEFAULT 'user' CHECK (role IN ('user','admin')),
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE portfolios (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      currency char(3) NOT NULL DEFAULT 'USD',
      cash_balance numeric(20,6) NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX portfolios_user_id_idx ON portfolios(user_id)`);
    await q.query(`CREATE TABLE positions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      symbol text NOT NULL,
      quantity numeric(20,6) NOT NULL CHECK (quantity <> 0),
      entry_price numeric(20,6) NOT NULL CHECK (entry_price > 0),
      entry_date date NOT NULL,
      position_type text NOT NULL CHECK (position_type IN ('LONG','SHORT','LC','LP','SC','SP')),
      underlying_symbol text,
      strike_price numeric(20,6),
      expiration_date date,
      implied_volatility numeric(10,6),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX positions_portfolio_id_idx ON positions(portfolio_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE positions`);
    await q.query(`DROP TABLE portfolios`);
    await q.query(`DROP TABLE users`);
  }
}
