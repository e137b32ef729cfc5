/** Minimal `--name value` / `--flag` parsing; unknown options are errors. */
export function parseArgs(argv: string[], allowed: { values: string[]; flags?: string[] }): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const [name, inline] = a.slice(2).split('=', 2);
    if (allowed.flags?.includes(name)) {
      out[name] = true;
    } else if (allowed.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      out[name] = v;
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

export class UsageError extends Error {}
