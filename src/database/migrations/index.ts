import { Foundation1764300000000 } from './1764300000000-Foundation';
import { AnalyticsAndBatch1764300100000 } from './1764300100000-AnalyticsAndBatch';
import { CorporateActions1764400000000 } from './1764400000000-CorporateActions';
import { LedgerSchema1764400100000 } from './1764400100000-LedgerSchema';
import { LedgerBackfill1764400150000 } from './1764400150000-LedgerBackfill';
import { AccountSecurity1764400300000 } from './1764400300000-AccountSecurity';
import { LedgerCheckpoints1764400400000 } from './1764400400000-LedgerCheckpoints';
import { OperationsAndRiskContracts1764400500000 } from './1764400500000-OperationsAndRiskContracts';
import { BatchLeases1764400510000 } from './1764400510000-BatchLeases';
import { BatchReadIndexes1764400530000 } from './1764400530000-BatchReadIndexes';
import { LimitsAlertsWebhooks1764400620000 } from './1764400620000-LimitsAlertsWebhooks';
import { ResultDocumentsLz41764400700000 } from './1764400700000-ResultDocumentsLz4';

/** Migrations in order; run at start. */
export const MIGRATIONS = [
  Foundation1764300000000,
  AnalyticsAndBatch1764300100000,
  CorporateActions1764400000000,
  LedgerSchema1764400100000,
  LedgerBackfill1764400150000,
  AccountSecurity1764400300000,
  LedgerCheckpoints1764400400000,
  OperationsAndRiskContracts1764400500000,
  BatchLeases1764400510000,
  BatchReadIndexes1764400530000,
  LimitsAlertsWebhooks1764400620000,
  ResultDocumentsLz41764400700000,
];
