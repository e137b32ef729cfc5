import { isPrivateAddress, webhookUrlProblem } from './webhook-target';
import { signWebhook, verifyWebhook } from './webhook-signature';
import { loadSettings } from '../config/settings';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::1]'])(
    '%s is private',
    (a) => expect(isPrivateAddress(a)).toBe(true),
  );
  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) => expect(isPrivateAddress(a)).toBe(false));
});

describe('webhookUrlProblem', () => {
  it('accepts public http(s) URLs', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', false)).toBeNull();
    expect(webhookUrlProblem('http://8.8.8.8:8080/x', false)).toBeNull();
  });
  it('refuses other schemes, credentials and garbage', () => {
    expect(webhookUrlProblem('ftp://example.com/', true)).toMatch(/http or https, not ftp/);
    expect(webhookUrlProblem('file:///etc/passwd', true)).toMatch(/not file/);
    expect(webhookUrlProblem('not a url', true)).toMatch(/absolute http/);
    expect(webhookUrlProblem('https://u:p@example.com/', true)).toMatch(/credentials/);
  });
  it('refuses private targets unless allowed', () => {
    for (const u of ['http://127.0.0.1:3000/', 'http://[::1]/', 'http://169.254.169.254/latest', 'http://10.0.0.5/', 'http://localhost:8080/', 'http://localhost.:8080/', 'http://[fd00::1]/']) {
      expect(webhookUrlProblem(u, false)).toMatch(/not allowed in production/);
      expect(webhookUrlProblem(u, true)).toBeNull();
    }
  });
});

describe('webhook signatures', () => {
  // reference: printf '%s' '1700000000.{"type":"alert.opened"}' | openssl dgst -sha256 -hmac whsec_test
  it('is HMAC-SHA256 over "<timestamp>.<body>"', () => {
    expect(signWebhook('whsec_test', 1_700_000_000, '{"type":"alert.opened"}')).toBe('sha256=943f8b85f02e8dda0192a0de176a5ba595a3623a4be95b69c05a0e4ba8d101b1');
  });
  it('verifies within the tolerance and refuses a changed body, wrong secret or old timestamp', () => {
    const now = 1_764_000_000_000;
    const ts = now / 1000;
    const sig = signWebhook('s3cret', ts, '{"a":1}');
    expect(verifyWebhook('s3cret', '{"a":1}', sig, String(ts), 300, now)).toBe(true);
    expect(verifyWebhook('s3cret', '{"a":2}', sig, String(ts), 300, now)).toBe(false);
    expect(verifyWebhook('other', '{"a":1}', sig, String(ts), 300, now)).toBe(false);
    expect(verifyWebhook('s3cret', '{"a":1}', sig, String(ts), 300, now + 301_000)).toBe(false);
  });
});

describe('WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
  const JWT_SECRET = 'x'.repeat(40);
  it('defaults to refusing private targets in production only, and can be set either way', () => {
    expect(loadSettings({ NODE_ENV: 'production', JWT_SECRET }).webhookAllowPrivateTargets).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', JWT_SECRET, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhookAllowPrivateTargets).toBe(true);
    expect(loadSettings({ NODE_ENV: 'development' }).webhookAllowPrivateTargets).toBe(true);
    expect(loadSettings({ NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' }).webhookAllowPrivateTargets).toBe(false);
    expect(() => loadSettings({ WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });
});
