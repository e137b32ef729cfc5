import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { day } from '../format';

export interface Line {
  label: string;
  values: Array<number | null>;
  color: string;
  fill?: string;
}

/**
 * A time-series chart (uPlot: canvas, ~50 kB, made for long daily series).
 * The figure carries a text summary for screen readers; uPlot's own legend
 * is replaced by a plain one.
 */
export function TimeChart({ id, title, dates, lines, format, summary, height = 240 }: {
  id: string; title: string; dates: string[]; lines: Line[]; format: (v: number) => string; summary: string; height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || dates.length === 0) return;
    const xs = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#4a5568', grid: { stroke: '#edf0f4' } },
        { stroke: '#4a5568', grid: { stroke: '#edf0f4' }, size: 70, values: (_u, vals) => vals.map((v) => format(v)) },
      ],
      series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, fill: l.fill, spanGaps: true, value: (_u: uPlot, v: number | null) => (v == null ? '—' : format(v)) }))],
    };
    const plot = new uPlot(opts, [xs, ...lines.map((l) => l.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [dates, lines, height]);
  return (
    <figure class="chart" aria-labelledby={`${id}-cap`} data-chart={id} data-points={dates.length}>
      <figcaption id={`${id}-cap`}>
        <span class="chart-title">{title}</span>
        <span class="legend">
          {lines.map((l) => (
            <span key={l.label} class="legend-item">
              <span class="swatch" style={{ background: l.color }} aria-hidden="true" />
              {l.label}
            </span>
          ))}
        </span>
        <span class="sr-only">
          {summary} From {day(dates[0])} to {day(dates[dates.length - 1])}.
        </span>
      </figcaption>
      <div ref={box} class="chart-canvas" aria-hidden="true" />
    </figure>
  );
}

export interface Bar {
  label: string;
  value: number;
  /** A second value drawn beside (e.g. the benchmark's weight). */
  compare?: number | null;
}

/** Horizontal bars in SVG (small categorical sets); each bar has its value as text too. */
export function BarChart({ id, title, bars, format, compareLabel, valueLabel = 'Portfolio' }: {
  id: string; title: string; bars: Bar[]; format: (v: number) => string; compareLabel?: string; valueLabel?: string;
}) {
  const max = Math.max(1e-12, ...bars.flatMap((b) => [Math.abs(b.value), Math.abs(b.compare ?? 0)]));
  const hasNeg = bars.some((b) => b.value < 0 || (b.compare ?? 0) < 0);
  const rowH = compareLabel ? 30 : 22;
  const labelW = 130;
  const valueW = 90;
  const plotW = 400;
  const zero = hasNeg ? labelW + plotW / 2 : labelW;
  const scale = (hasNeg ? plotW / 2 : plotW) / max;
  const height = bars.length * rowH + 6;
  return (
    <figure class="chart" aria-labelledby={`${id}-cap`} data-chart={id} data-points={bars.length}>
      <figcaption id={`${id}-cap`}>
        <span class="chart-title">{title}</span>
        <span class="legend">
          <span class="legend-item">
            <span class="swatch sw-primary" aria-hidden="true" />
            {valueLabel}
          </span>
          {compareLabel && (
            <span class="legend-item">
              <span class="swatch sw-compare" aria-hidden="true" />
              {compareLabel}
            </span>
          )}
        </span>
      </figcaption>
      <svg class="bars" viewBox={`0 0 ${labelW + plotW + valueW} ${height}`} role="img" aria-labelledby={`${id}-cap`}>
        {bars.map((b, i) => {
          const y = i * rowH + 3;
          const h = compareLabel ? 12 : 16;
          const w = Math.abs(b.value) * scale;
          const cw = Math.abs(b.compare ?? 0) * scale;
          return (
            <g key={b.label}>
              <title>{`${b.label}: ${format(b.value)}${compareLabel && b.compare != null ? `; ${compareLabel} ${format(b.compare)}` : ''}`}</title>
              <text x={labelW - 6} y={y + (compareLabel ? 14 : 12)} text-anchor="end" class="bar-label">
                {b.label.length > 18 ? `${b.label.slice(0, 17)}…` : b.label}
              </text>
              <rect x={b.value < 0 ? zero - w : zero} y={y} width={Math.max(1, w)} height={h} class={b.value < 0 ? 'bar-neg' : 'bar-pos'} />
              {compareLabel && b.compare != null && (
                <rect x={b.compare < 0 ? zero - cw : zero} y={y + h + 1} width={Math.max(1, cw)} height={h - 4} class="bar-compare" />
              )}
              <text x={labelW + plotW + 4} y={y + (compareLabel ? 14 : 12)} class="bar-value">
                {format(b.value)}
              </text>
            </g>
          );
        })}
        <line x1={zero} x2={zero} y1={0} y2={height} class="bar-axis" />
      </svg>
    </figure>
  );
}

/** Correlation heat map: red positive, blue negative; every cell's value in its tooltip. */
export function HeatMap({ id, title, labels, matrix }: { id: string; title: string; labels: string[]; matrix: Array<Array<number | null>> }) {
  const n = labels.length;
  const cell = n > 20 ? 14 : 26;
  const pad = 60;
  const size = pad + n * cell;
  const color = (v: number | null) => {
    if (v == null) return '#e2e8f0';
    const a = Math.min(1, Math.abs(v));
    return v >= 0 ? `rgba(197, 48, 48, ${0.1 + 0.9 * a})` : `rgba(43, 108, 176, ${0.1 + 0.9 * a})`;
  };
  return (
    <figure class="chart heat" aria-labelledby={`${id}-cap`} data-chart={id} data-points={n * n}>
      <figcaption id={`${id}-cap`}>
        <span class="chart-title">{title}</span>
        <span class="legend">
          <span class="legend-item"><span class="swatch sw-neg" aria-hidden="true" />−1</span>
          <span class="legend-item"><span class="swatch sw-zero" aria-hidden="true" />0</span>
          <span class="legend-item"><span class="swatch sw-pos" aria-hidden="true" />+1</span>
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${size} ${size}`} class="heatmap" role="img" aria-labelledby={`${id}-cap`} style={{ maxWidth: `${size * 1.6}px` }}>
        {labels.map((l, i) => (
          <text key={`r${i}`} x={pad - 4} y={pad + i * cell + cell * 0.65} text-anchor="end" class="heat-label">
            {l.slice(0, 8)}
          </text>
        ))}
        {labels.map((l, j) => (
          <text key={`c${j}`} transform={`translate(${pad + j * cell + cell * 0.65}, ${pad - 4}) rotate(-60)`} class="heat-label">
            {l.slice(0, 8)}
          </text>
        ))}
        {matrix.map((row, i) =>
          row.map((v, j) => (
            <rect key={`${i}-${j}`} x={pad + j * cell} y={pad + i * cell} width={cell - 1} height={cell - 1} fill={color(v)}>
              <title>{`${labels[i]} / ${labels[j]}: ${v == null ? 'not enough overlap' : v.toFixed(2)}`}</title>
            </rect>
          )),
        )}
      </svg>
    </figure>
  );
}
