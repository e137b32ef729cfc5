import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rootLogger } from '../common/logging';
import { ProtocolSafeQueue } from './protocol-safe-queue';

/**
 * In-process PostgreSQL (PGlite) served on a loopback socket so that `pg`,
 * TypeORM and pg-boss connect to it as to any server. `maxConnections` > 1 is
 * required: without it a pool's second connection is dropped.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    private readonly lockFile: string | null,
  ) {}

  /** `dataDir` null keeps the database in memory (tests). */
  static async start(dataDir: string | null): Promise<EmbeddedPostgres> {
    const lockFile = dataDir ? acquireLock(dataDir) : null;
    let db: PGlite;
    try {
      db = await PGlite.create(dataDir ?? undefined);
    } catch (e) {
      if (lockFile) rmSync(lockFile, { force: true });
      throw e;
    }
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
    // the stock queue interleaves connections' extended-query messages; see ProtocolSafeQueue
    (server as unknown as { queryQueue: ProtocolSafeQueue }).queryQueue = new ProtocolSafeQueue(db);
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@${host}:${port}/postgres`, lockFile);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}

/**
 * One process per data directory: two PGlite instances on the same files
 * would corrupt them. A lock left by a dead process is taken over.
 */
function acquireLock(dataDir: string): string {
  mkdirSync(dirname(dataDir), { recursive: true });
  // beside the data directory, not in it: PGlite initialises an empty directory
  const file = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  let holder: number | null = null;
  try {
    holder = Number(readFileSync(file, 'utf8').trim()) || null;
  } catch (e) {
    // no lock file is the usual case; anything else is worth knowing about
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') rootLogger().warn({ err: e }, `cannot read the embedded database lock ${file}: ${(e as Error).message}`);
    holder = null;
  }
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`the embedded database in ${dataDir} is in use by process ${holder}; stop it, or set DATABASE_URL to share a PostgreSQL server`);
  }
  writeFileSync(file, String(process.pid));
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
