import { alertTransitions } from './alert-transitions';
import { evaluateLimits, LIMIT_RISK_SECTIONS, limitMetrics, limitProblems, sectorWeights } from './limit-rules';

describe('limitProblems', () => {
  it('accepts a valid set, nulls and an empty set', () => {
    expect(limitProblems({})).toEqual([]);
    expect(limitProblems({ var_95_pct_max: 2.5, beta_min: -0.5, beta_max: 1.2, max_drawdown_min: -0.2, sector_weight_max: 1, net_exposure_min: null })).toEqual([]);
  });

  it('lists every impossible value and each min above its max', () => {
    const problems = limitProblems({
      var_95_pct_max: -1,
      var_99_pct_max: 0,
      max_drawdown_min: 0.1,
      top_position_weight_max: 1.5,
      sector_weight_max: -0.1,
      net_exposure_min: 0.8,
      net_exposure_max: 0.2,
      beta_min: 2,
      beta_max: 1,
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['beta_min', 'max_drawdown_min', 'net_exposure_min', 'sector_weight_max', 'top_position_weight_max', 'var_95_pct_max', 'var_99_pct_max'].sort(),
    );
    expect(problems.find((p) => p.field === 'beta_min')?.message).toBe('beta_min 2 is greater than beta_max 1');
    expect(problems.find((p) => p.field === 'var_95_pct_max')?.message).toMatch(/^must be in \(0, 100\]/);
  });
});

describe('evaluateLimits', () => {
  const metrics = {
    var_95_pct: 2.4,
    var_99_pct: null,
    volatility_63d: 0.18,
    max_drawdown: -0.25,
    gross_exposure: 1.3,
    net_exposure: 0.7,
    top_position_weight: 0.4,
    beta: 1.1,
    sector_weights: new Map([
      ['Technology', 0.6],
      ['Energy', 0.4],
    ]),
  };

  it('flags a max exceeded and a min undercut, not a value at the threshold', () => {
    const r = evaluateLimits({ var_95_pct_max: 2, volatility_max: 0.18, max_drawdown_min: -0.2, beta_min: 1.2, gross_exposure_max: 2 }, metrics);
    expect(Object.fromEntries(r.observations.map((o) => [o.key, o.breached]))).toEqual({
      var_95_pct_max: true,
      volatility_max: false,
      max_drawdown_min: true,
      beta_min: true,
      gross_exposure_max: false,
    });
    expect(r.skipped).toEqual([]);
  });

  it('checks the sector limit per sector and skips what the day lacks', () => {
    const r = evaluateLimits({ sector_weight_max: 0.5, var_99_pct_max: 3 }, metrics);
    expect(r.observations.map((o) => [o.key, o.subject, o.breached])).toEqual([
      ['sector_weight_max:Energy', 'Energy', false],
      ['sector_weight_max:Technology', 'Technology', true],
    ]);
    expect(r.skipped).toEqual([{ limit: 'var_99_pct_max', reason: 'var_99_pct not available' }]);
    expect(evaluateLimits({ sector_weight_max: 0.5 }, { ...metrics, sector_weights: null }).skipped[0].reason).toMatch(/no sector exposures/);
  });
});

describe('limitMetrics and sectorWeights', () => {
  it('reads a risk record and the snapshot totals', () => {
    const m = limitMetrics(
      { var: { var_95_pct: 1.9, var_99_pct: 3.1 }, volatility: { vol_63d: 0.2 }, performance: { max_drawdown: -0.1 }, concentration: { largest_weight: 0.35 }, beta: { beta: 0.9 } },
      { total_value: 1000, gross_exposure: 1500, net_exposure: -200 },
    );
    expect(m).toEqual({
      var_95_pct: 1.9,
      var_99_pct: 3.1,
      volatility_63d: 0.2,
      max_drawdown: -0.1,
      gross_exposure: 1.5,
      net_exposure: -0.2,
      top_position_weight: 0.35,
      beta: 0.9,
      sector_weights: null,
    });
  });

  it('reads no top-level section of the risk record outside LIMIT_RISK_SECTIONS (the only ones the evaluator loads)', () => {
    const read = new Set<string>();
    const record = new Proxy({ var: { var_95_pct: 1 }, exposures: { by_sector: [{ name: 'Tech', gross: 1 }] } } as Record<string, unknown>, {
      get: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
    });
    limitMetrics(record, null);
    limitMetrics(record, { total_value: 1, gross_exposure: 1, net_exposure: 1 });
    expect(read.size).toBeGreaterThan(0);
    for (const key of read) expect(LIMIT_RISK_SECTIONS).toContain(key);
  });

  it('takes sector gross amounts from a list or a map, as shares of their sum', () => {
    expect(sectorWeights({ by_sector: [{ name: 'Tech', gross: 300 }, { name: 'Energy', gross: -100 }] })).toEqual(new Map([['Tech', 0.75], ['Energy', 0.25]]));
    expect(sectorWeights({ sector: { Tech: { gross_exposure: 50 }, Energy: { gross_exposure: 50 } } })).toEqual(new Map([['Tech', 0.5], ['Energy', 0.5]]));
    expect(sectorWeights({ by_sector: [{ name: 'Tech' }] })).toBeNull();
    expect(sectorWeights(undefined)).toBeNull();
  });
});

describe('alertTransitions', () => {
  const obs = (key: string, breached: boolean, value = 1) => ({ key, limit: key.split(':')[0] as never, subject: key.split(':')[1] ?? null, value, threshold: 0.5, breached });

  it('opens new breaches, keeps continuing ones, resolves the rest', () => {
    const t = alertTransitions(
      [
        { id: 'a1', limit_key: 'beta_max' },
        { id: 'a2', limit_key: 'volatility_max' },
      ],
      { observations: [obs('beta_max', true), obs('volatility_max', false), obs('var_95_pct_max', true)], skipped: [] },
      new Set(['beta_max', 'volatility_max', 'var_95_pct_max'] as const),
    );
    expect(t.open.map((o) => o.key)).toEqual(['var_95_pct_max']);
    expect(t.keep.map((k) => k.alertId)).toEqual(['a1']);
    expect(t.resolve).toEqual([{ alertId: 'a2', observation: obs('volatility_max', false) }]);
  });

  it('keeps an alert whose metric is unavailable, resolves one whose limit was cleared or whose sector is gone', () => {
    const t = alertTransitions(
      [
        { id: 'a1', limit_key: 'var_99_pct_max' },
        { id: 'a2', limit_key: 'beta_max' },
        { id: 'a3', limit_key: 'sector_weight_max:Energy' },
      ],
      { observations: [obs('sector_weight_max:Technology', false)], skipped: [{ limit: 'var_99_pct_max', reason: 'var_99_pct not available' }] },
      new Set(['var_99_pct_max', 'sector_weight_max'] as const),
    );
    expect(t.open).toEqual([]);
    expect(t.keep).toEqual([]);
    expect(t.resolve.map((r) => r.alertId)).toEqual(['a2', 'a3']);
  });
});
