import { MigrationInterface, QueryRunner } from 'typeorm';

/** Splits and cash dividends per symbol (DESIGN §8), filled by the providers and an admin upload. */
export class CorporateActions1764400000000 implements MigrationInterface {
  name = 'CorporateActions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE corporate_actions (
      symbol text NOT NULL,
      action_type text NOT NULL CHECK (action_type IN ('SPLIT','CASH_DIVIDEND')),
      ex_date date NOT NULL,
      pay_date date,
      ratio numeric(20,10) CHECK (ratio IS NULL OR ratio > 0),
      amount numeric(20,6) CHECK (amount IS NULL OR amount > 0),
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (symbol, action_type, ex_date),
      CHECK ((action_type = 'SPLIT' AND ratio IS NOT NULL) OR (action_type = 'CASH_DIVIDEND' AND amount IS NOT NULL)))`);
    // which symbols' actions were fetched from the provider, over which range (fetch only what is missing)
    await q.query(`CREATE TABLE corporate_action_coverage (
      symbol text PRIMARY KEY,
      covered_from date NOT NULL,
      covered_to date NOT NULL,
      source text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE corporate_action_coverage`);
    await q.query(`DROP TABLE corporate_actions`);
  }
}
