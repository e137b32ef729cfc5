import { configureRootLogger, rootLogger } from './logging';

/** What the root logger writes for one call, parsed. */
function logged(write: () => void): string {
  const lines: string[] = [];
  configureRootLogger('info', { write: (line: string) => void lines.push(line) });
  try {
    write();
  } finally {
    configureRootLogger('silent');
  }
  return lines.join('');
}

describe('root logger redaction', () => {
  it('redacts passwords, hashes, tokens, emails, authorization headers and statement parameters', () => {
    const text = logged(() =>
      rootLogger().info(
        {
          password: 'pw-top-secret-1',
          password_hash: 'scrypt$32768$8$1$salt$hash',
          token: 'tok-secret',
          email: 'ada@example.com',
          req: { headers: { authorization: 'Bearer abc.def.ghi' } },
          user: { email: 'grace@example.com', new_password: 'pw-new-secret-2' },
          parameters: ['ada@example.com', 'scrypt$32768$8$1$salt$hash'],
        },
        'a line',
      ),
    );
    expect(text).toContain('a line');
    for (const secret of ['pw-top-secret-1', 'scrypt$', 'tok-secret', 'ada@example.com', 'grace@example.com', 'abc.def.ghi', 'pw-new-secret-2']) {
      expect(text).not.toContain(secret);
    }
  });

  it("an error's statement data (parameters, PostgreSQL's detail, the driver error) is dropped, the message kept", () => {
    const driverError = Object.assign(new Error('new row violates check constraint "c"'), { detail: 'Failing row contains (ada@example.com, scrypt$1$2)' });
    const err = Object.assign(new Error('new row violates check constraint "c"'), {
      code: '23514',
      query: 'INSERT INTO users (email, password_hash) VALUES ($1, $2)',
      parameters: ['ada@example.com', 'scrypt$1$2'],
      detail: 'Failing row contains (ada@example.com, scrypt$1$2)',
      driverError,
      cause: driverError,
    });
    const text = logged(() => rootLogger().error({ err }, 'unhandled error'));
    expect(text).toContain('violates check constraint');
    expect(text).toContain('23514');
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('scrypt$');
  });
});
