import type { INestApplicationContext } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchQueue } from '../batch/batch-queue';
import type { AppSettings } from '../config/settings';
import { MetricsService } from './metrics.service';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The METRICS_PORT listener: GET /metrics (Prometheus text) and GET /health
 * (liveness: role, pid and the jobs in hand with their ages), no auth, on METRICS_HOST (default 127.0.0.1).
 * The one HTTP surface of a worker process.
 */
export async function startMetricsServer(app: INestApplicationContext, settings: AppSettings): Promise<MetricsServer | null> {
  if (settings.metricsPort === null) return null;
  const metrics = app.get(MetricsService);
  const queue = app.get(BatchQueue);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      metrics.render().then(
        (body) => res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
        () => res.writeHead(500).end(),
      );
    } else if (path === '/health') {
      const body = { status: 'ok', role: settings.processRole, pid: process.pid, jobs_in_flight: queue.inFlightJobs() };
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.metricsPort!, settings.metricsHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${settings.metricsHost.includes(':') ? `[${settings.metricsHost}]` : settings.metricsHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
