/**
 * The Prometheus text exposition format (version 0.0.4), by hand: a metric
 * family is a HELP line, a TYPE line and its samples.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Labels = Record<string, string | number>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}`;
}

export class MetricsText {
  private readonly lines: string[] = [];

  family(name: string, type: MetricType, help: string, samples: Array<{ labels?: Labels; value: number; suffix?: string }>): this {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const s of samples) this.lines.push(`${name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    return this;
  }

  /** A histogram from cumulative bucket counts (`counts[i]` = observations <= `bounds[i]`). */
  histogram(name: string, help: string, bounds: number[], series: Array<{ labels: Labels; counts: number[]; count: number; sum: number }>): this {
    const samples: Array<{ labels?: Labels; value: number; suffix?: string }> = [];
    for (const s of series) {
      bounds.forEach((le, i) => samples.push({ suffix: '_bucket', labels: { ...s.labels, le: String(le) }, value: s.counts[i] }));
      samples.push({ suffix: '_bucket', labels: { ...s.labels, le: '+Inf' }, value: s.count });
      samples.push({ suffix: '_sum', labels: s.labels, value: s.sum });
      samples.push({ suffix: '_count', labels: s.labels, value: s.count });
    }
    return this.family(name, 'histogram', help, samples);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
