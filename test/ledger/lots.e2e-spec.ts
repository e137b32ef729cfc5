import { signUp, startTestApp, TestApp } from '../helpers/test-app';
import { deposit, ledgerClient, trade } from './ledger-helpers';

/**
 * Deposits, buys and a partial sell read back as lots, realized P&L, positions
 * and cash, under FIFO and AVERAGE. Hand-computed: lot 1 = 10 @ 100 + $1 fee
 * (100.10 a share), lot 2 = 10 @ 120; SELL 15 @ 130 with a $1.50 fee gives
 * proceeds 1,948.50 (129.90 a share, the fee spread over the shares sold).
 */
describe('lots and realized P&L (e2e)', () => {
  let t: TestApp;
  let c: ReturnType<typeof ledgerClient>;
  beforeAll(async () => {
    t = await startTestApp();
    c = ledgerClient(t, (await signUp(t)).token);
  });
  afterAll(() => t.close());

  async function book(method: 'FIFO' | 'AVERAGE'): Promise<string> {
    const pid = await c.newPortfolio({ cost_basis_method: method });
    await c.post(pid, deposit('2025-01-02', 10_000)).expect(201);
    await c.post(pid, trade('BUY', '2025-01-06', 'AAPL', 10, 100, 1)).expect(201);
    await c.post(pid, trade('BUY', '2025-02-03', 'AAPL', 10, 120)).expect(201);
    await c.post(pid, trade('SELL', '2025-03-03', 'AAPL', 15, 130, 1.5)).expect(201);
    return pid;
  }

  it('FIFO: the sell closes the oldest lot first; fees in cost and proceeds', async () => {
    const pid = await book('FIFO');
    const lots = (await c.lots(pid).expect(200)).body;
    expect(lots).toEqual([
      { position_id: expect.any(String), symbol: 'AAPL', position_type: 'LONG', quantity: 5, cost_basis: 600, cost_per_unit: 120, opened_at: '2025-02-03', tags: [] },
    ]);
    const realized = (await c.realized(pid).expect(200)).body;
    expect(realized.matches).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10, opened_at: '2025-01-06', closed_at: '2025-03-03' }),
      expect.objectContaining({ symbol: 'AAPL', quantity: 5, opened_at: '2025-02-03', closed_at: '2025-03-03' }),
    ]);
    expect(realized.matches[0].cost).toBeCloseTo(1001, 9);
    expect(realized.matches[0].proceeds).toBeCloseTo(1299, 9);
    expect(realized.matches[0].realized_pnl).toBeCloseTo(298, 9);
    expect(realized.matches[1].realized_pnl).toBeCloseTo(49.5, 9);
    expect(realized.total_realized_pnl).toBeCloseTo(347.5, 9);
    expect(realized.matches[0].position_id).toBe(lots[0].position_id);
  });

  it('FIFO: positions are the open lots summed and cash follows every flow', async () => {
    const pid = await book('FIFO');
    const [aapl] = (await c.positions(pid).expect(200)).body;
    expect(aapl).toMatchObject({ symbol: 'AAPL', quantity: 5, entry_price: 120, entry_date: '2025-02-03', cost_basis: 600, position_type: 'LONG' });
    // 10,000 − 1,001 − 1,200 + 1,948.50
    expect((await c.portfolio(pid).expect(200)).body).toMatchObject({ cash_balance: 9747.5, position_count: 1, cost_basis_method: 'FIFO' });
  });

  it('AVERAGE: every share costs the running average (2,201 / 20 = 110.05)', async () => {
    const pid = await book('AVERAGE');
    const [lot] = (await c.lots(pid).expect(200)).body;
    expect(lot.quantity).toBe(5);
    expect(lot.cost_per_unit).toBeCloseTo(110.05, 9);
    expect(lot.cost_basis).toBeCloseTo(550.25, 9);
    const realized = (await c.realized(pid).expect(200)).body;
    // 1,948.50 − 15 × 110.05
    expect(realized.total_realized_pnl).toBeCloseTo(297.75, 9);
    expect(realized.matches.reduce((s: number, m: { quantity: number }) => s + m.quantity, 0)).toBeCloseTo(15, 9);
  });

  it('realized ?from=&to= keeps the matches closed in the range', async () => {
    const pid = await book('FIFO');
    await c.post(pid, trade('SELL', '2025-04-01', 'AAPL', 2, 140)).expect(201);
    const april = (await c.realized(pid, '?from=2025-04-01&to=2025-04-30').expect(200)).body;
    expect(april.matches).toHaveLength(1);
    expect(april.total_realized_pnl).toBeCloseTo(2 * (140 - 120), 9);
    expect((await c.realized(pid, '?to=2025-03-31').expect(200)).body.total_realized_pnl).toBeCloseTo(347.5, 9);
    await c.realized(pid, '?from=2025-13-01').expect(400);
  });

  it('a short sale opens a short lot; BUY_TO_COVER closes it', async () => {
    const pid = await c.newPortfolio();
    await c.post(pid, trade('SELL_SHORT', '2025-01-06', 'TSLA', 10, 200)).expect(201);
    expect((await c.lots(pid).expect(200)).body).toEqual([expect.objectContaining({ symbol: 'TSLA', position_type: 'SHORT', quantity: -10, cost_basis: -2000 })]);
    await c.post(pid, trade('BUY_TO_COVER', '2025-02-03', 'TSLA', 4, 150)).expect(201);
    const realized = (await c.realized(pid).expect(200)).body;
    expect(realized.total_realized_pnl).toBeCloseTo(4 * (200 - 150), 9);
    expect((await c.positions(pid).expect(200)).body).toEqual([expect.objectContaining({ symbol: 'TSLA', quantity: -6, position_type: 'SHORT' })]);
  });

  it('an option bought with its terms can be sold by its symbol alone (multiplier 100)', async () => {
    const pid = await c.newPortfolio();
    const call = { symbol: 'AAPL291221C00200000', option_type: 'CALL', underlying_symbol: 'AAPL', strike_price: 200, expiration_date: '2029-12-21' };
    const bought = (await c.post(pid, { ...trade('BUY', '2025-01-06', call.symbol, 2, 10), ...call }).expect(201)).body;
    expect(bought).toMatchObject({ position_type: 'LC', option_type: 'CALL', underlying_symbol: 'AAPL', strike_price: 200, expiration_date: '2029-12-21' });
    await c.post(pid, trade('SELL', '2025-02-03', call.symbol, 1, 12)).expect(201);
    expect((await c.realized(pid).expect(200)).body.total_realized_pnl).toBeCloseTo(100 * (12 - 10), 9);
    expect((await c.lots(pid).expect(200)).body).toEqual([expect.objectContaining({ quantity: 1, cost_basis: 1000, cost_per_unit: 10 })]);
    const wrong = await c.post(pid, { ...trade('SELL', '2025-02-04', call.symbol, 1, 12), strike_price: 210 }).expect(400);
    expect(wrong.body.errors).toEqual([{ field: 'strike_price', message: expect.stringContaining('does not match') }]);
  });

  it('an early EXERCISE turns the long call into 100 shares per contract at the underlying close', async () => {
    const pid = await c.newPortfolio();
    const call = { symbol: 'MSFT291221C00001000', option_type: 'CALL', underlying_symbol: 'MSFT', strike_price: 1, expiration_date: '2029-12-21' };
    await c.post(pid, { ...trade('BUY', '2025-01-06', call.symbol, 1, 50), ...call }).expect(201);
    const ex = await c.post(pid, { type: 'EXERCISE', date: '2025-02-03', symbol: call.symbol, quantity: 1 }).expect(201);
    expect(ex.body).toMatchObject({ type: 'EXERCISE', position_type: 'LC', quantity: 1, price: null, source: 'user' });
    const lots = (await c.lots(pid).expect(200)).body;
    expect(lots).toEqual([expect.objectContaining({ symbol: 'MSFT', position_type: 'LONG', quantity: 100, opened_at: '2025-02-03' })]);
    // the call closes at its intrinsic value (close − strike) against its 50 × 100 premium
    const [match] = (await c.realized(pid).expect(200)).body.matches;
    expect(match.realized_pnl).toBeCloseTo(100 * (lots[0].cost_per_unit - 1) - 5000, 6);
    expect((await c.post(pid, { type: 'ASSIGN', date: '2025-02-04', symbol: call.symbol, quantity: 1 }).expect(400)).body.detail).toMatch(/shortfall 1/);
  });

  it('lots and realized are 404 for another user', async () => {
    const pid = await book('FIFO');
    const other = ledgerClient(t, (await signUp(t)).token);
    expect((await other.lots(pid).expect(404)).body.detail).toBe('Portfolio not found');
    await other.realized(pid).expect(404);
  });
});
