import { readFileSync } from 'node:fs';
import { loadSettings, SettingsError } from './settings';

/** The problems loadSettings reports for `env`, or [] when it accepts it. */
function problems(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
    return [];
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    return e.problems;
  }
}

const SECRET = 'x'.repeat(32);

describe('loadSettings', () => {
  it('starts from documented defaults on an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: null,
      jwtSecret: null,
      jwtExpiresInSeconds: 3600,
      registrationOpen: true,
      loginRateLimitPerMinute: 10,
      marketDataProvider: 'synthetic',
      batchCron: '30 18 * * 1-5',
      batchTimezone: 'America/New_York',
      processRole: 'all',
      corsOrigins: [],
    });
  });

  it('parses values: numbers, booleans, lists, lower-cased admin email, blanks as unset', () => {
    const s = loadSettings({
      PORT: '8080',
      REGISTRATION_OPEN: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example ,',
      ADMIN_EMAIL: 'Root@Example.com',
      ADMIN_PASSWORD: 'long-enough-Quokka',
      RISK_FREE_RATE: '0.045',
      SEED_DEMO_DATA: 'yes',
      DATABASE_URL: '   ',
    });
    expect(s).toMatchObject({
      port: 8080,
      registrationOpen: false,
      corsOrigins: ['https://a.example', 'https://b.example'],
      adminEmail: 'root@example.com',
      riskFreeRate: 0.045,
      seedDemoData: true,
      databaseUrl: null,
    });
  });

  describe('DATABASE_URL', () => {
    it.each(['postgres://postgres@127.0.0.1:5432/postgres', 'postgresql://u:p@db.internal/sigmasight?sslmode=require'])('accepts %s', (url) => {
      expect(loadSettings({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });

    it.each(['not-a-url', 'mysql://root@localhost/db', 'postgres:///no-host', 'http://localhost:5432/db', '127.0.0.1:5432'])('rejects %s, naming DATABASE_URL', (url) => {
      const p = problems({ DATABASE_URL: url });
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(/^DATABASE_URL /);
    });
  });

  describe('JWT_SECRET', () => {
    it('is required when NODE_ENV=production', () => {
      expect(problems({ NODE_ENV: 'production' })).toEqual(['JWT_SECRET is required when NODE_ENV=production']);
      expect(problems({ NODE_ENV: 'production', JWT_SECRET: '  ' })).toEqual(['JWT_SECRET is required when NODE_ENV=production']);
      expect(loadSettings({ NODE_ENV: 'production', JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    });

    it('is optional outside production, but at least 32 characters when set', () => {
      expect(loadSettings({ NODE_ENV: 'development' }).jwtSecret).toBeNull();
      expect(problems({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET must be at least 32 characters']);
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PORT', '-1'],
    ['JWT_EXPIRES_IN_SECONDS', '10'],
    ['LOGIN_RATE_LIMIT_PER_MINUTE', '0'],
    ['RISK_FREE_RATE', 'NaN'],
    ['RISK_FREE_RATE', 'Infinity'],
    ['DEFAULT_IMPLIED_VOLATILITY', '30%'],
    ['SYNTHETIC_SEED', '1e99'],
    ['BATCH_CHUNK_SIZE', '0x10g'],
    ['BATCH_CATCHUP_MAX_DAYS', '61'],
  ])('rejects the number %s=%s, naming the setting and the value', (name, value) => {
    const p = problems({ [name]: value });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(new RegExp(`^${name} must be an? (integer|number) between .*got "${value.replace(/[.*+?^${}()|[\]\\%]/g, '\\$&')}"`));
  });

  it.each([
    ['REGISTRATION_OPEN', 'maybe', /REGISTRATION_OPEN must be true or false/],
    ['BATCH_CRON_ENABLED', '2', /BATCH_CRON_ENABLED must be true or false/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of/],
    ['MARKET_DATA_PROVIDER', 'yahoo', /MARKET_DATA_PROVIDER must be one of synthetic, csv, polygon/],
    ['PROCESS_ROLE', 'scheduler', /PROCESS_ROLE must be one of all, api, worker/],
    ['BATCH_TIMEZONE', 'Mars/Olympus_Mons', /BATCH_TIMEZONE must be an IANA time zone/],
    ['BATCH_CRON', 'every day', /BATCH_CRON must be a cron expression/],
  ])('rejects %s=%s', (name, value, message) => {
    expect(problems({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('checks settings that depend on each other', () => {
    expect(problems({ MARKET_DATA_PROVIDER: 'polygon' })).toEqual(['POLYGON_API_KEY is required when MARKET_DATA_PROVIDER=polygon']);
    expect(loadSettings({ MARKET_DATA_PROVIDER: 'polygon', POLYGON_API_KEY: 'k' }).polygonApiKey).toBe('k');
    expect(problems({ ADMIN_EMAIL: 'a@example.com' })).toEqual(['ADMIN_EMAIL and ADMIN_PASSWORD must be set together']);
    expect(problems({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' })).toEqual(['ADMIN_PASSWORD must be at least 12 characters']);
    expect(problems({ BATCH_HEARTBEAT_SECONDS: '60', BATCH_STALE_SECONDS: '100' })).toEqual([
      'BATCH_STALE_SECONDS must be at least twice BATCH_HEARTBEAT_SECONDS',
    ]);
  });

  describe('no default credentials', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: SECRET, ADMIN_EMAIL: 'ops@example.com' };

    it.each(['demo-password', 'admin-password', 'a-long-password'])('refuses ADMIN_PASSWORD=%s, a password printed in the README', (password) => {
      expect(problems({ ...prod, ADMIN_PASSWORD: password })).toEqual(['ADMIN_PASSWORD is a password published in the README; choose your own']);
    });

    it('refuses an ADMIN_PASSWORD under 12 characters or on the common-password list', () => {
      expect(problems({ ...prod, ADMIN_PASSWORD: 'elevenchars' })).toEqual(['ADMIN_PASSWORD must be at least 12 characters']);
      expect(problems({ ...prod, ADMIN_PASSWORD: 'qwerty123456' })).toEqual(['ADMIN_PASSWORD is on the list of commonly used passwords; choose another']);
      expect(loadSettings({ ...prod, ADMIN_PASSWORD: 'ops-Quokka-admin-9' }).adminPassword).toBe('ops-Quokka-admin-9');
    });

    it('refuses SEED_DEMO_DATA=true in production only', () => {
      expect(problems({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_DATA: 'true' })).toEqual([
        'SEED_DEMO_DATA=true is not allowed when NODE_ENV=production: the demo accounts have passwords published in the README',
      ]);
      expect(loadSettings({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
      expect(loadSettings({ SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      [undefined, false],
      ['false', false],
      ['true', true],
      ['2', 2],
      ['loopback, 10.0.0.0/8,fd00::1', ['loopback', '10.0.0.0/8', 'fd00::1']],
    ])('%s → %j', (value, expected) => {
      expect(loadSettings(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it('rejects what is neither a flag, a count nor addresses', () => {
      expect(problems({ TRUST_PROXY: 'loopback,my-balancer' })).toEqual([expect.stringMatching(/^TRUST_PROXY must be .*not "my-balancer"/)]);
    });
  });

  it('reports every problem at once, one line each in the message', () => {
    try {
      loadSettings({ NODE_ENV: 'production', DATABASE_URL: 'nope', PORT: 'x' });
      throw new Error('expected a SettingsError');
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      const err = e as SettingsError;
      expect(err.problems).toHaveLength(3);
      for (const name of ['DATABASE_URL', 'JWT_SECRET', 'PORT']) expect(err.message).toContain(`  - ${name}`);
    }
  });

  describe('.env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    const source = readFileSync('src/config/settings.ts', 'utf8');

    it('documents every setting loadSettings reads', () => {
      const read = [...source.matchAll(/r\.\w+(?:<[^>]*>)?\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]);
      expect(read.length).toBeGreaterThan(25);
      const undocumented = [...new Set(read)].filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
      expect(undocumented).toEqual([]);
    });

    it('its uncommented values are accepted', () => {
      const env = Object.fromEntries(
        example
          .split('\n')
          .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(Object.keys(env).length).toBeGreaterThan(20);
      expect(problems(env)).toEqual([]);
    });
  });
});
