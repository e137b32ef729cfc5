import { useMemo, useState } from 'preact/hooks';
import { api, call } from '../api';
import { pct } from '../format';
import { TimeChart, type Line } from './charts';
import { Card, Empty, Section, Show, useAsync } from './ui';

const PERIODS = ['MTD', 'QTD', 'YTD', '1Y', '3Y', 'ITD'] as const;
type Period = (typeof PERIODS)[number];

/** Value against the benchmark (both as TWR indices) and the drawdown, from one performance read. */
export function PerformancePanel({ id, version }: { id: string; currency: string; version: number }) {
  const [period, setPeriod] = useState<Period>('1Y');
  const perf = useAsync(
    () => call(api.GET('/api/v1/portfolio/{id}/performance', { params: { path: { id }, query: { period, benchmark: 'SPY' } } })),
    [id, period, version],
  );
  const series = perf.data?.series ?? [];
  const dates = useMemo(() => series.map((s) => s.date), [series]);
  const index: Line[] = useMemo(
    () => [
      { label: 'Portfolio (TWR)', values: series.map((s) => (s.twr_index == null ? null : s.twr_index - 1)), color: '#2b6cb0' },
      { label: `Benchmark ${perf.data?.benchmark ?? 'SPY'}`, values: series.map((s) => (s.benchmark_index == null ? null : s.benchmark_index - 1)), color: '#718096' },
    ],
    [series],
  );
  const drawdown: Line[] = useMemo(() => [{ label: 'Drawdown', values: series.map((s) => s.drawdown), color: '#c53030', fill: 'rgba(197,48,48,0.15)' }], [series]);

  const picker = (
    <div class="segmented" role="group" aria-label="Period">
      {PERIODS.map((p) => (
        <button key={p} type="button" aria-pressed={p === period} onClick={() => setPeriod(p)}>
          {p}
        </button>
      ))}
    </div>
  );

  return (
    <Section title="Performance" id="performance" actions={picker}>
      <Show value={perf} what="Loading performance">
        {(v) =>
          v.series.length < 2 ? (
            <Empty>Not enough history for charts yet{v.reasons && Object.values(v.reasons)[0] ? `: ${Object.values(v.reasons)[0]}` : ''}.</Empty>
          ) : (
            <>
              <div class="cards">
                <Card label="Return (TWR)" value={pct(v.twr)} tone={v.twr != null && v.twr < 0 ? 'neg' : 'pos'} />
                <Card label={`Benchmark (${v.benchmark})`} value={pct(v.benchmark_return)} />
                <Card label="Excess return" value={pct(v.excess_return)} />
                <Card label="Money-weighted" value={pct(v.mwr)} />
                <Card label="Max drawdown" value={pct(v.max_drawdown)} tone="neg" />
              </div>
              <div class="two-col">
                <TimeChart id="value-vs-benchmark" title="Cumulative return vs benchmark" dates={dates} lines={index} format={(x) => pct(x, 0)} summary={`Portfolio return ${pct(v.twr)} against ${v.benchmark} ${pct(v.benchmark_return)}.`} />
                <TimeChart id="drawdown" title="Drawdown" dates={dates} lines={drawdown} format={(x) => pct(x, 0)} summary={`Maximum drawdown ${pct(v.max_drawdown)}.`} />
              </div>
            </>
          )
        }
      </Show>
    </Section>
  );
}
