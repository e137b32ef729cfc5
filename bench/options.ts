/** Command-line options of the bench (`node dist/bench/run.js --help`). */
export interface BenchOptions {
  portfolios: number;
  positions: number;
  symbols: number;
  /** Trading days of book history before the first run date: snapshot history and position entry dates. */
  days: number;
  /** Share of positions that are options (on one of the book's symbols). */
  optionShare: number;
  /** The warm run's date (default: the latest completed trading day); the cold run is the trading day before. */
  date: string | null;
  json: string | null;
  /** Skip the cold run (history fetched during the run) or the warm run. */
  cold: boolean;
  warm: boolean;
  /** Warm runs on successive trading days ending at `date` (the cold run is the day before the first); the median is reported. */
  warmRuns: number;
  /** Time a single-portfolio user calculate after the big runs. */
  user: boolean;
  /** Single-portfolio recalculations through HTTP (POST → `final` over SSE) after the runs; 0: none. */
  single: number;
  /** Measure the PostgreSQL floor (price window read + result rows written) after the warm run. */
  floor: boolean;
  /** Never use DATABASE_URL / TEST_DATABASE_URL: run on the embedded PGlite. */
  embedded: boolean;
  seed: number;
  /** Leave the bench database in place (server only) for inspection. */
  keep: boolean;
}

export const DEFAULTS: BenchOptions = {
  portfolios: 1000,
  positions: 30,
  symbols: 500,
  days: 252,
  optionShare: 0.1,
  date: null,
  json: null,
  cold: true,
  warm: true,
  warmRuns: 1,
  user: true,
  single: 20,
  floor: true,
  embedded: false,
  seed: 7,
  keep: false,
};

export const SMOKE: Partial<BenchOptions> = { portfolios: 50, positions: 10, symbols: 100, days: 30, single: 3 };

const USAGE = `usage: node dist/bench/run.js [options]
  --portfolios N    portfolios in the book (default ${DEFAULTS.portfolios})
  --positions N     positions per portfolio (default ${DEFAULTS.positions})
  --symbols N       distinct symbols the book holds (default ${DEFAULTS.symbols})
  --days N          trading days of book history: seeded snapshots, entry dates (default ${DEFAULTS.days})
  --options F       share of option positions, 0..1 (default ${DEFAULTS.optionShare})
  --date YYYY-MM-DD warm run date (default: latest completed trading day); cold run = the trading day before
  --warm-runs N     warm runs on the N trading days ending at --date (default 1; the cold run is the day before
                    the first); prints the median run, which the floor ratio and the targets use
  --json FILE       write the results as JSON
  --smoke           small book (50 x 10 over 100 symbols, 30 days, 3 single calcs) for CI
  --single N        single-portfolio recalculations through HTTP, POST to the SSE final event (default ${DEFAULTS.single}; 0: none)
  --no-cold | --no-warm | --no-user | --no-single | --no-floor   skip a measurement
  --embedded        use the in-memory PGlite even when DATABASE_URL is set
  --seed N          book generator seed (default ${DEFAULTS.seed})
  --keep-db         keep the bench database (server only) for inspection`;

export function parseOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = { ...DEFAULTS };
  const int = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be an integer in [${min}, ${max}], got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '--portfolios': o.portfolios = int(a, next(), 1, 1_000_000); break;
      case '--positions': o.positions = int(a, next(), 1, 1000); break;
      case '--symbols': o.symbols = int(a, next(), 1, 100_000); break;
      case '--days': o.days = int(a, next(), 0, 2520); break;
      case '--seed': o.seed = int(a, next(), 0, 2 ** 31); break;
      case '--options': {
        const v = Number(next());
        if (!(v >= 0 && v <= 1)) fail('--options must be within [0, 1]');
        o.optionShare = v;
        break;
      }
      case '--date': {
        const v = next();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v ?? '')) fail('--date must be YYYY-MM-DD');
        o.date = v;
        break;
      }
      case '--json': o.json = next() ?? fail('--json needs a file'); break;
      case '--smoke': Object.assign(o, SMOKE); break;
      case '--no-cold': o.cold = false; break;
      case '--no-warm': o.warm = false; break;
      case '--warm-runs': o.warmRuns = int(a, next(), 1, 20); break;
      case '--no-user': o.user = false; break;
      case '--single': o.single = int(a, next(), 0, 10_000); break;
      case '--no-single': o.single = 0; break;
      case '--no-floor': o.floor = false; break;
      case '--embedded': o.embedded = true; break;
      case '--keep-db': o.keep = true; break;
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${a}`);
    }
  }
  if (o.symbols < o.positions) fail(`--symbols (${o.symbols}) must be at least --positions (${o.positions}): a portfolio holds distinct symbols`);
  return o;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}
