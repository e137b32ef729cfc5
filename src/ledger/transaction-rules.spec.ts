import type { CalendarDate, PortfolioId } from '../common/branded';
import { candidateId, candidateLedger } from './candidate-ledger';
import { holdingIdFor } from './engine';
import { resolveHolding } from './holding-resolution';
import type { Holding, PortfolioLedger } from './ledger.types';
import { validateTransaction, ValidTransaction } from './transaction-rules';

const today = '2025-06-30' as CalendarDate;
const pid = '00000000-0000-4000-8000-000000000001' as PortfolioId;
const valid = (draft: Parameters<typeof validateTransaction>[0]): ValidTransaction => {
  const { value, errors } = validateTransaction(draft, today);
  if (!value) throw new Error(JSON.stringify(errors));
  return value;
};
const fields = (draft: Parameters<typeof validateTransaction>[0]) => validateTransaction(draft, today).errors.map((e) => e.field);

describe('validateTransaction', () => {
  it('accepts each kind with its fields and rounds numbers to numeric(20,6)', () => {
    expect(valid({ type: 'buy', date: '2025-01-06', symbol: ' aapl ', quantity: 1.0000004, price: 10 })).toMatchObject({ type: 'BUY', symbol: 'AAPL', quantity: 1, fees: 0 });
    expect(valid({ type: 'DEPOSIT', date: '2025-01-06', amount: 5 })).toMatchObject({ amount: 5, symbol: null, quantity: null });
    expect(valid({ type: 'EXERCISE', date: '2025-01-06', symbol: 'X', quantity: 1 })).toMatchObject({ price: null });
    expect(valid({ type: 'TRANSFER_IN', date: '2025-01-06', symbol: 'X', quantity: 1, price: 3, position_type: 'short' })).toMatchObject({ positionType: 'SHORT' });
  });

  it('lists every broken rule', () => {
    expect(fields({ type: 'BUY', date: '2025-07-01' }).sort()).toEqual(['date', 'price', 'quantity', 'symbol']);
    expect(fields({ type: 'DEPOSIT', date: '2025-01-06', amount: 1, symbol: 'X', strike_price: 3 }).sort()).toEqual(['strike_price', 'symbol']);
    expect(fields({ type: 'SPLIT', date: '2025-01-06' })).toEqual(['type']);
    expect(fields({ type: 'EXERCISE', date: '2025-01-06', symbol: 'X', quantity: 1, price: 2 })).toEqual(['price']);
    expect(fields({ type: 'BUY', date: '2025-01-06', symbol: 'X', quantity: 1, price: 1, fees: -0.01 })).toEqual(['fees']);
    expect(fields({ type: 'BUY', date: '2025-01-06', symbol: 'X', quantity: 4e-7, price: 1e14 }).sort()).toEqual(['price', 'quantity']);
    expect(fields({ type: 'BUY', date: '2025-01-06', symbol: 'X', quantity: 1, price: 1, position_type: 'LC', option_type: 'PUT' })).toEqual(['option_type']);
  });
});

describe('resolveHolding', () => {
  const call: Holding = {
    id: holdingIdFor(pid, 'C1', 'LC'), symbol: 'C1', positionType: 'LC', optionType: 'CALL', underlyingSymbol: 'AAPL', strikePrice: 200,
    expirationDate: '2026-01-16' as CalendarDate, impliedVolatility: null,
  };

  it('finds the holding by symbol and direction, else creates it with holdingIdFor', () => {
    expect(resolveHolding(pid, valid({ type: 'SELL', date: '2025-01-06', symbol: 'C1', quantity: 1, price: 2 }), [call]).value).toEqual({ holding: call, isNew: false });
    const short = resolveHolding(pid, valid({ type: 'SELL_SHORT', date: '2025-01-06', symbol: 'C1', quantity: 1, price: 2 }), [call]).value!;
    expect(short).toMatchObject({ isNew: true, holding: { id: holdingIdFor(pid, 'C1', 'SC'), positionType: 'SC', strikePrice: 200, underlyingSymbol: 'AAPL' } });
    expect(resolveHolding(pid, valid({ type: 'DEPOSIT', date: '2025-01-06', amount: 1 }), [call]).value).toBeNull();
  });

  it('refuses terms that differ from the holding of the symbol, a trade against its direction, and an option without terms', () => {
    expect(resolveHolding(pid, valid({ type: 'BUY', date: '2025-01-06', symbol: 'C1', quantity: 1, price: 2, strike_price: 210 }), [call]).errors[0].field).toBe('strike_price');
    expect(resolveHolding(pid, valid({ type: 'BUY', date: '2025-01-06', symbol: 'X', quantity: 1, price: 2, position_type: 'SHORT' }), []).errors[0].field).toBe('position_type');
    expect(resolveHolding(pid, valid({ type: 'BUY', date: '2025-01-06', symbol: 'X', quantity: 1, price: 2, option_type: 'PUT' }), []).errors.map((e) => e.field))
      .toEqual(['underlying_symbol', 'strike_price', 'expiration_date']);
  });
});

describe('candidateLedger', () => {
  it('appends after the stored transactions, replaces in place and removes, keeping (date, sequence) order', () => {
    const deposit = valid({ type: 'DEPOSIT', date: '2025-01-06', amount: 1 });
    const base = candidateLedger({ portfolioId: pid, costBasisMethod: 'FIFO', holdings: new Map(), transactions: [], inceptionDate: null, staleFrom: null },
      { add: [{ tx: { ...deposit, date: '2025-02-01' as CalendarDate }, resolved: null }, { tx: deposit, resolved: null }] });
    expect(base.transactions.map((t) => [t.id, t.date, t.sequence])).toEqual([[candidateId(1), '2025-01-06', 2], [candidateId(0), '2025-02-01', 1]]);
    expect(base.inceptionDate).toBe('2025-01-06');
    const stored: PortfolioLedger = { ...base };
    const moved = candidateLedger(stored, { replace: { id: candidateId(0), tx: { ...deposit, date: '2025-01-02' as CalendarDate }, resolved: null } });
    expect(moved.transactions.map((t) => t.id)).toEqual([candidateId(0), candidateId(1)]);
    expect(candidateLedger(stored, { remove: candidateId(1) }).inceptionDate).toBe('2025-02-01');
  });
});
