import { JwtService } from '@nestjs/jwt';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Client } from 'pg';
import type { CalendarDate } from '../src/common/branded';

export interface SingleCalcMeasurement {
  portfolioId: string;
  date: string;
  runs: number;
  /** POST /calculate sent → `final` event (status completed) read from the SSE stream. */
  p50Seconds: number;
  p95Seconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** POST sent → the run's finished_at in the database (what the server took, before the push). */
  serverP50Seconds: number;
  /** POST sent → 202 answered. */
  acceptP50Seconds: number;
  statuses: Record<string, number>;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const secs = (ms: number) => Math.round(ms) / 1000;

/**
 * A single-portfolio recalculation through HTTP, as a client sees it: the
 * app (already built by the bench) listens on a random loopback port; the
 * portfolio's owner POSTs /portfolio/{id}/calculate, opens the run's event
 * stream at once and stops the clock at the `final` event. `n` runs one after
 * the other (a portfolio has one active run at a time).
 */
export async function measureSingleCalc(app: NestExpressApplication, db: Client, portfolioId: string, date: CalendarDate, n: number): Promise<SingleCalcMeasurement> {
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const { rows } = await db.query(
    `SELECT u.id, u.email, u.role, u.token_version AS tv FROM portfolios p JOIN users u ON u.id = p.user_id WHERE p.id = $1`,
    [portfolioId],
  );
  const owner = rows[0] as { id: string; email: string; role: string; tv: number };
  const token = await app.get(JwtService, { strict: false }).signAsync({ sub: owner.id, email: owner.email, role: owner.role, tv: owner.tv });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const total: number[] = [];
  const server: number[] = [];
  const accept: number[] = [];
  const statuses: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const wall0 = Date.now();
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/portfolio/${portfolioId}/calculate`, { method: 'POST', headers, body: JSON.stringify({ calculation_date: date }) });
    if (res.status !== 202) throw new Error(`calculate answered ${res.status}: ${await res.text()}`);
    const { batch_run_id: runId } = (await res.json()) as { batch_run_id: string };
    accept.push(performance.now() - t0);
    const final = await finalEvent(`${base}/api/v1/portfolio/${portfolioId}/batch-status/${runId}/events`, headers);
    total.push(performance.now() - t0);
    statuses[final.status] = (statuses[final.status] ?? 0) + 1;
    const f = await db.query(`SELECT extract(epoch FROM finished_at) * 1000 AS ms FROM batch_runs WHERE id = $1`, [runId]);
    server.push(Number(f.rows[0].ms) - wall0);
  }
  const sorted = [...total].sort((a, b) => a - b);
  const med = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  return {
    portfolioId, date, runs: n,
    p50Seconds: secs(quantile(sorted, 0.5)), p95Seconds: secs(quantile(sorted, 0.95)),
    minSeconds: secs(sorted[0]), maxSeconds: secs(sorted[sorted.length - 1]),
    serverP50Seconds: secs(med(server)), acceptP50Seconds: secs(med(accept)), statuses,
  };
}

/** Reads an event stream until its `final` event; the run view it carries. */
async function finalEvent(url: string, headers: Record<string, string>): Promise<{ status: string }> {
  const res = await fetch(url, { headers: { ...headers, Accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.body) throw new Error(`event stream answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended without a final event: ${text.slice(-500)}`);
      text += decoder.decode(value, { stream: true });
      for (const block of text.split('\n\n').slice(0, -1)) {
        if (!/^event: final$/m.test(block)) continue;
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        return JSON.parse(data) as { status: string };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
