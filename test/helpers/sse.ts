import request from 'supertest';
import { bearer, TestApp } from './test-app';

export interface SseEvent {
  event: string;
  id?: string;
  retry?: number;
  data: any;
}

/** Parses a whole text/event-stream body into its events. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n+/)
    .filter((block) => block.trim() && !block.split('\n').every((l) => l.startsWith(':')))
    .map((block) => {
      const e: SseEvent = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const field = line.slice(0, i);
        const value = line.slice(i + 1).replace(/^ /, '');
        if (field === 'event') e.event = value;
        else if (field === 'id') e.id = value;
        else if (field === 'retry') e.retry = Number(value);
        else if (field === 'data') data.push(value);
      }
      const raw = data.join('\n');
      try {
        e.data = JSON.parse(raw);
      } catch {
        e.data = raw;
      }
      return e;
    });
}

/** Reads an SSE route until the server ends the stream; the status, content type and parsed events. */
export async function readStream(t: TestApp, path: string, token?: string, timeoutMs = 60_000) {
  let req = request(t.http)
    .get(path)
    .timeout(timeoutMs)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  if (token) req = req.set(bearer(token));
  const res = await req;
  const body = res.body as unknown;
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), events: typeof body === 'string' ? parseSse(body) : [], body };
}
