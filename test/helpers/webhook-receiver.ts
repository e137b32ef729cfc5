import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { parseSse, SseEvent } from './sse';
import { bearer, TestApp } from './test-app';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** The status this receiver answered. */
  answered: number;
}

/**
 * A local webhook receiver (node:http on an ephemeral port). `failNext(n)`
 * makes it answer 503 to the next n requests; every request is kept.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private failures = 0;
  private waiters: Array<{ pred: (h: ReceivedHook) => boolean; resolve: (h: ReceivedHook) => void }> = [];
  private server: Server | null = null;
  port = 0;

  failNext(n: number): void {
    this.failures = n;
  }

  /** Starts listening (on `port` when given: a restart on the same address). */
  async listen(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const answered = this.failures > 0 ? 503 : 200;
        if (this.failures > 0) this.failures--;
        const hook: ReceivedHook = { headers: req.headers, body, json: JSON.parse(body), answered };
        this.received.push(hook);
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'busy');
        for (const w of [...this.waiters]) {
          if (answered === 200 && w.pred(hook)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(hook);
          }
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The first successfully answered request matching `pred` (already received or to come). */
  next(pred: (h: ReceivedHook) => boolean, what: string, timeoutMs = 30_000): Promise<ReceivedHook> {
    const got = this.received.find((h) => h.answered === 200 && pred(h));
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (h: ReceivedHook) => (clearTimeout(timer), resolve(h)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`webhook receiver: no ${what} within ${timeoutMs} ms (got ${this.received.map((h) => `${h.json?.type}:${h.answered}`).join(', ') || 'nothing'})`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));
  }
}

/** A port nothing listens on (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** An open SSE stream read incrementally: `next(pred)` resolves with the first matching event. */
export class SseListener {
  readonly events: SseEvent[] = [];
  private text = '';
  private waiters: Array<{ pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  private req: request.Test | null = null;

  static async open(t: TestApp, path: string, token: string): Promise<SseListener> {
    const l = new SseListener();
    const ready = l.next((e) => e.event === 'ready', 'ready');
    l.req = request(t.http)
      .get(path)
      .set(bearer(token))
      .buffer(true)
      .parse((res, done) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => l.feed(chunk));
        res.on('end', () => done(null, l.text));
        res.on('close', () => done(null, l.text));
      });
    l.req.then(
      () => undefined,
      () => undefined,
    );
    await ready;
    return l;
  }

  private feed(chunk: string): void {
    this.text += chunk;
    const cut = this.text.lastIndexOf('\n\n');
    if (cut < 0) return;
    const complete = this.text.slice(0, cut + 2);
    this.text = this.text.slice(cut + 2);
    for (const e of parseSse(complete)) {
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (w.pred(e)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  }

  next(pred: (e: SseEvent) => boolean, what: string, timeoutMs = 30_000): Promise<SseEvent> {
    const got = this.events.find(pred);
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (e: SseEvent) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => reject(new Error(`SSE: no ${what} within ${timeoutMs} ms (got ${this.events.map((e) => e.event).join(', ')})`)), timeoutMs);
      this.waiters.push(w);
    });
  }

  close(): void {
    this.req?.abort();
  }
}
