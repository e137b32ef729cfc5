import type { Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The HTTP request duration histogram, labelled by route template (never the raw URL: ids would explode the series). */
export class HttpMetrics {
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'sigmasight_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code: time until the response was written (an event stream: until it ended).',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
  }

  observe(req: Request, res: Response): void {
    const start = process.hrtime.bigint();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      // Express sets req.route on the matched route; no match (404 before routing, static, preflight): one label
      const path = (req.route as { path?: string } | undefined)?.path;
      const route = typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
      this.duration.observe({ method: req.method, route, status_code: String(res.statusCode) }, Number(process.hrtime.bigint() - start) / 1e9);
    };
    res.on('finish', done);
    res.on('close', done);
  }
}
