import { Gauge, Registry } from 'prom-client';
import { spellNaN } from './metrics.service';

// The exposition format (prometheus.io/docs/instrumenting/exposition_formats) spells the value NaN.
describe('spellNaN', () => {
  it('rewrites the sample prom-client 15 writes for a NaN gauge, and nothing else', async () => {
    const registry = new Registry();
    new Gauge({ name: 'lag_mean_seconds', help: 'Nan in the help text stays', registers: [registry] }).set(NaN);
    new Gauge({ name: 'up', help: 'one', registers: [registry] }).set(1);
    const raw = await registry.metrics();
    expect(raw).toContain('lag_mean_seconds Nan\n');

    const text = spellNaN(raw);
    expect(text).toContain('lag_mean_seconds NaN\n');
    expect(text).toContain('# HELP lag_mean_seconds Nan in the help text stays');
    expect(text).toContain('up 1\n');
  });
});
