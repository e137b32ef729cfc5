import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
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
  ) {}

  /** `dataDir` null keeps the database in memory (tests). */
  static async start(dataDir: string | null): Promise<EmbeddedPostgres> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ?? undefined);
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
    // the stock queue interleaves connections' extended-query messages; see ProtocolSafeQueue
    (server as unknown as { queryQueue: ProtocolSafeQueue }).queryQueue = new ProtocolSafeQueue(db);
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@${host}:${port}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
