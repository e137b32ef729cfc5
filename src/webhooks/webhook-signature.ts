import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: HMAC-SHA256 with the webhook's secret over
 * `<timestamp>.<raw body>`, sent as `X-SigmaSight-Signature: sha256=<hex>` with
 * `X-SigmaSight-Timestamp: <unix seconds>`. Including the timestamp lets a
 * receiver refuse replays of an old body (e.g. older than 5 minutes).
 */
export const SIGNATURE_HEADER = 'x-sigmasight-signature';
export const TIMESTAMP_HEADER = 'x-sigmasight-timestamp';

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** The receiver's check (also the README recipe): signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifyWebhook(secret: string, rawBody: string, signature: string, timestamp: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
