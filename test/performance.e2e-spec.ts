import request from 'supertest';
import { DataSource } from 'typeorm';
import { daysBetween } from '../src/common/dates';
import { asCalendarDate } from '../src/common/branded';
import { ALPHA, BETA, BMK_MISSING, type BookDay, FIRST, LAST, expected as e, seedBook } from './fixtures/performance-book';
import { API, bearer, signUp, startTestApp, TestApp } from './helpers/test-app';

type User = { token: string; id: string };
const DIGITS = 9;

describe('GET /portfolio/{id}/performance (e2e)', () => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let id: string;
  let book: BookDay[];
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([signUp(t), signUp(t)]);
    id = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Seeded book' }).expect(201)).body.id;
    book = await seedBook(t.app.get(DataSource), id);
  });
  afterAll(() => t.close());

  const perf = (query: string, user: User = alice, pid = id) =>
    request(t.http).get(`${API}/portfolio/${pid}/performance${query ? `?${query}` : ''}`).set(bearer(user.token));
  const within = (from: string, to = LAST as string) => book.filter((d) => d.date >= from && d.date <= to);
  /** XIRR check without re-solving: the flows' value at the returned rate is 0. */
  const npvAt = (rate: number, flows: Array<[string, number]>) =>
    flows.reduce((s, [date, a]) => s + a * Math.pow(1 + rate, -daysBetween(asCalendarDate(flows[0][0]), asCalendarDate(date)) / 365), 0);

  it('inception to date: TWR, annualised TWR, MWR, benchmark figures, sums and the series', async () => {
    const r = (await perf('').expect(200)).body;
    expect(r.from).toBe(FIRST);
    expect(r.to).toBe(LAST);
    expect(r.benchmark).toBe('SPY');
    const twr = e.compound(book.map((d) => d.m));
    expect(r.twr).toBeCloseTo(twr, DIGITS);
    // from inception the index starts at the first day's opening flows
    expect(r.twr_annualized).toBeCloseTo(Math.pow(1 + twr, 365 / daysBetween(FIRST, LAST)) - 1, DIGITS);
    const flows: Array<[string, number]> = [...book.filter((d) => d.flows).map((d): [string, number] => [d.date, -d.flows]), [LAST, book[book.length - 1].value]];
    expect(Math.abs(npvAt(r.mwr, flows))).toBeLessThan(1e-6);
    // SPY total return through a dividend and a 2:1 split, from the close before inception
    const bench = e.compound(book.map((d) => d.b));
    expect(r.benchmark_return).toBeCloseTo(bench, DIGITS);
    expect(r.excess_return).toBeCloseTo(twr - bench, DIGITS);
    const active = book.map((d) => d.m - d.b);
    expect(r.tracking_error).toBeCloseTo(e.sampleStd(active) * Math.sqrt(252), DIGITS);
    expect(r.information_ratio).toBeCloseTo((252 * e.mean(active)) / (e.sampleStd(active) * Math.sqrt(252)), DIGITS - 2);
    expect(r.beta).toBeCloseTo(BETA, DIGITS);
    expect(r.alpha_annualized).toBeCloseTo(ALPHA * 252, DIGITS);
    expect(r.up_capture).toBeCloseTo(e.capture(book, true), DIGITS);
    expect(r.down_capture).toBeCloseTo(e.capture(book, false), DIGITS);
    // Sharpe and Sortino (risk-free 0) of the flow-neutral daily returns, as the stored daily_return
    const ms = book.map((d) => d.m);
    expect(r.sharpe).toBeCloseTo((e.mean(ms) / e.sampleStd(ms)) * Math.sqrt(252), DIGITS - 2);
    const downside = Math.sqrt(ms.reduce((s, x) => s + Math.min(x, 0) ** 2, 0) / ms.length);
    expect(r.sortino).toBeCloseTo((e.mean(ms) / downside) * Math.sqrt(252), DIGITS - 2);
    expect(r.realized_pnl).toBeCloseTo(book.reduce((s, d) => s + d.realized, 0), DIGITS);
    expect(r.income).toBeCloseTo(book.reduce((s, d) => s + d.income, 0), DIGITS);
    expect(r.fees).toBeCloseTo(book.reduce((s, d) => s + d.fees, 0), DIGITS);
    expect(r.net_flows).toBeCloseTo(110_000, DIGITS);
    expect(r.unrealized_pnl).toBe(book[book.length - 1].unrealized);
    expect(r.series).toHaveLength(book.length);
    expect(r.series[book.length - 1]).toEqual({
      date: LAST, value: expect.closeTo(book[book.length - 1].value, 6), twr_index: expect.closeTo(1 + twr, DIGITS),
      benchmark_index: expect.closeTo(1 + bench, DIGITS), drawdown: expect.any(Number),
    });
    expect(Object.keys(r.reasons)).toEqual([]);
  });

  it('the worst drawdown episode and the drawdown series', async () => {
    const r = (await perf('').expect(200)).body;
    const dd = e.drawdown(book.map((d) => d.m));
    expect(dd.trough).toBeGreaterThan(0);
    expect(dd.recovery).not.toBeNull();
    expect(r.max_drawdown).toBeCloseTo(dd.mdd, DIGITS);
    expect(r.drawdown).toEqual({ peak_date: book[dd.peak].date, trough_date: book[dd.trough].date, recovery_date: book[dd.recovery!].date });
    expect(Math.min(...r.series.map((p: { drawdown: number }) => p.drawdown))).toBeCloseTo(dd.mdd, DIGITS);
    // a range ending before the recovery: not recovered, with a reason
    const to = book[dd.trough + 1].date;
    const cut = (await perf(`to=${to}`).expect(200)).body;
    expect(cut.drawdown.recovery_date).toBeNull();
    expect(cut.reasons['drawdown.recovery_date']).toBe(`not recovered by ${to}`);
  });

  it('monthly returns compound the daily returns per calendar month, portfolio and benchmark', async () => {
    const r = (await perf('').expect(200)).body;
    const months = [...new Set(book.map((d) => d.date.slice(0, 7)))];
    expect(r.monthly_returns.map((m: { month: string }) => m.month)).toEqual(months);
    for (const m of r.monthly_returns) {
      const days = book.filter((d) => d.date.startsWith(m.month));
      expect(m.return).toBeCloseTo(e.compound(days.map((d) => d.m)), DIGITS);
      expect(m.benchmark_return).toBeCloseTo(e.compound(days.map((d) => d.b)), DIGITS);
    }
  });

  it('a range is measured from the last close before its first day', async () => {
    // 2024-06-15 is a Saturday: the base is Friday 2024-06-14's close
    const r = (await perf('from=2024-06-15&to=2024-12-31').expect(200)).body;
    const days = within('2024-06-15', '2024-12-31');
    const base = book.find((d) => d.date === '2024-06-14')!;
    expect(r.from).toBe('2024-06-15');
    expect(r.to).toBe('2024-12-31');
    expect(r.twr).toBeCloseTo(e.compound(days.map((d) => d.m)), DIGITS);
    expect(r.series[0].twr_index).toBeCloseTo(1 + days[0].m, DIGITS);
    expect(r.benchmark_return).toBeCloseTo(e.compound(days.map((d) => d.b)), DIGITS);
    const flows: Array<[string, number]> = [['2024-06-14', -base.value], ['2024-09-16', 15_000], ['2024-12-31', days[days.length - 1].value]];
    expect(Math.abs(npvAt(r.mwr, flows))).toBeLessThan(1e-6);
    expect(r.twr_annualized).toBeNull();
    expect(r.reasons.twr_annualized).toBe(`range of ${daysBetween(asCalendarDate('2024-06-14'), asCalendarDate('2024-12-31'))} calendar days is shorter than 365: not annualised`);
    expect(r.net_flows).toBe(-15_000);
    expect(r.realized_pnl).toBeCloseTo(days.reduce((s, d) => s + d.realized, 0), DIGITS);
    expect(r.unrealized_pnl).toBe(days[days.length - 1].unrealized);
    // a start before inception is inception
    const early = (await perf('from=2023-06-01').expect(200)).body;
    expect(early.from).toBe(FIRST);
    expect(early.twr).toBeCloseTo(e.compound(book.map((d) => d.m)), DIGITS);
  });

  it.each([
    ['MTD', '2025-05-01', '2025-04-30'],
    ['QTD', '2025-04-01', '2025-03-31'],
    ['YTD', '2025-01-01', '2024-12-31'],
    ['1Y', '2024-05-31', '2024-05-30'],
    ['ITD', FIRST, null],
  ])('period=%s starts on %s (base close %s)', async (period, from, baseDate) => {
    const r = (await perf(`period=${period.toLowerCase()}`).expect(200)).body;
    const days = within(from);
    expect(r.from).toBe(from);
    expect(r.to).toBe(LAST);
    const twr = e.compound(days.map((d) => d.m));
    expect(r.twr).toBeCloseTo(twr, DIGITS);
    expect(r.net_flows).toBeCloseTo(days.reduce((s, d) => s + d.flows, 0), DIGITS);
    const span = daysBetween(asCalendarDate(baseDate ?? FIRST), LAST);
    if (span >= 365) expect(r.twr_annualized).toBeCloseTo(Math.pow(1 + twr, 365 / span) - 1, DIGITS);
    else expect(r.twr_annualized).toBeNull();
    // beta needs 30 daily pairs (DESIGN §6): null with a reason on a month
    if (days.length < 30) expect(r.reasons.beta).toBe(`insufficient data: ${days.length} observations, need 30`);
    else expect(r.beta).toBeCloseTo(BETA, DIGITS);
  });

  it('a missing benchmark close nulls what needs it, naming the symbol and the date; unknown symbols likewise', async () => {
    const r = (await perf('benchmark=bmk').expect(200)).body;
    expect(r.benchmark).toBe('BMK');
    for (const k of ['benchmark_return', 'excess_return', 'tracking_error', 'information_ratio', 'beta', 'alpha_annualized', 'up_capture', 'down_capture']) {
      expect(r[k]).toBeNull();
      expect(r.reasons[k]).toBe(`no stored close of BMK on ${BMK_MISSING}`);
    }
    expect(r.twr).toBeCloseTo(e.compound(book.map((d) => d.m)), DIGITS);
    const may = r.monthly_returns.find((m: { month: string }) => m.month === '2025-05');
    const april = r.monthly_returns.find((m: { month: string }) => m.month === '2025-04');
    expect(may.benchmark_return).toBeNull();
    expect(r.reasons['monthly_returns.2025-05.benchmark_return']).toContain(BMK_MISSING);
    expect(april.benchmark_return).toBeCloseTo(e.compound(within('2025-04-01', '2025-04-30').map((d) => d.b)), DIGITS);
    expect(r.series.find((p: { date: string }) => p.date === BMK_MISSING).benchmark_index).toBeNull();
    // a range that avoids the gap has every figure
    expect((await perf('benchmark=BMK&to=2025-05-13').expect(200)).body.benchmark_return).toEqual(expect.any(Number));
    const none = (await perf('benchmark=NOPE').expect(200)).body;
    expect(none.benchmark_return).toBeNull();
    expect(none.reasons.benchmark_return).toMatch(/^no stored closes of NOPE from 2023-12-29 to 2025-05-30$/);
  });

  it('400 on bad input, 404 on a portfolio that is not the caller\'s', async () => {
    const bad = async (q: string, detail: RegExp) => {
      const res = await perf(q).expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request', detail: expect.stringMatching(detail) });
    };
    await bad('from=2025-03-01&to=2025-02-01', /from 2025-03-01 is after to 2025-02-01/);
    await bad('period=YTD&from=2025-01-01', /period cannot be combined/);
    await bad('period=5Y', /period must be one of MTD, QTD, YTD, 1Y, 3Y, ITD/);
    await bad('benchmark=SP%20Y!', /benchmark must be a symbol/);
    await bad('from=2025-02-30', /from must be a date/);
    await bad('extra=1', /property extra should not exist/);
    const other = await perf('', bob).expect(404);
    expect(other.body).toMatchObject({ status_code: 404, detail: 'Portfolio not found' });
    await perf('', alice, '00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('200 with null figures and reasons when there are no snapshots (yet, or in the range)', async () => {
    const empty = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Empty' }).expect(201)).body.id;
    const r = (await perf('', alice, empty).expect(200)).body;
    expect(r).toMatchObject({ from: null, to: null, benchmark: 'SPY', twr: null, mwr: null, monthly_returns: [], series: [] });
    expect(r.reasons.twr).toMatch(/no snapshots yet/);
    const before = (await perf('to=2023-12-31').expect(200)).body;
    expect(before.twr).toBeNull();
    expect(before.reasons.twr).toBe('no snapshots between 2024-01-02 and 2023-12-31 (the latest is 2025-05-30)');
  });

  it('is documented in the OpenAPI document with its response type, formats and nullability', async () => {
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/api/v1/portfolio/{id}/performance'].get;
    expect(op.parameters.map((q: { name: string }) => q.name).sort()).toEqual(['benchmark', 'from', 'id', 'period', 'to']);
    const ref: string = op.responses['200'].content['application/json'].schema.$ref;
    const schema = doc.components.schemas[ref.split('/').pop()!];
    expect(schema.properties.twr).toMatchObject({ type: 'number', format: 'double', nullable: true });
    expect(schema.properties.from).toMatchObject({ type: 'string', format: 'date', nullable: true });
    expect(Object.keys(schema.properties).sort()).toEqual([
      'alpha_annualized', 'benchmark', 'benchmark_return', 'beta', 'down_capture', 'drawdown', 'excess_return', 'fees', 'from', 'income',
      'information_ratio', 'max_drawdown', 'monthly_returns', 'mwr', 'net_flows', 'realized_pnl', 'reasons', 'series', 'sharpe', 'sortino',
      'to', 'tracking_error', 'twr', 'twr_annualized', 'unrealized_pnl', 'up_capture',
    ]);
  });
});
