import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './webhook-target';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The target is refused by policy (a private address): retrying cannot help. */
  refused: boolean;
}

const REFUSED = 'EPRIVATETARGET';

/**
 * DNS lookup that refuses private addresses. It runs at connect time, so the
 * address checked is the address used (no window for a DNS answer to change
 * between the check and the connection).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const e = Object.assign(new Error(`${hostname} resolves to a private address (${bad.address}); refused (WEBHOOK_ALLOW_PRIVATE_TARGETS)`), { code: REFUSED });
      return callback(e, '', 0);
    }
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    else callback(null, list[0].address, list[0].family);
  });
};

/**
 * POSTs a signed body once: a whole-request timeout, redirects not followed
 * (a 3xx is a failed attempt), the answer's body read and discarded (up to
 * 64 KB). Never throws: the outcome says what happened.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const options: RequestOptions = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'SigmaSight-Webhooks/1', ...headers },
    lookup: opts.allowPrivate ? undefined : publicOnlyLookup,
    agent: false,
  };
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: performance.now() - started });
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024) res.destroy();
      });
      const done = () => {
        const code = res.statusCode ?? 0;
        const ok = code >= 200 && code < 300;
        const error = ok ? null : code >= 300 && code < 400 ? `redirect (${code}) not followed` : `HTTP ${code}`;
        finish({ statusCode: code, error, refused: false });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ statusCode: null, error: e.message, refused: e.code === REFUSED }));
    req.end(body);
  });
}
