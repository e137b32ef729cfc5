import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EMBEDDED_DATABASE } from '../database/database.module';

/**
 * This process as a batch participant: the owner name of the chunk leases it
 * takes and of the runs it coordinates. host:pid plus a random tag, so a
 * restarted process with the same pid (pid 1 in a container) never mistakes
 * its predecessor's leases for its own. One per application instance (two
 * apps in one test process are two participants).
 */
@Injectable()
export class BatchProcess {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  /** On the embedded database (PGlite) this is the only process there can be. */
  constructor(@Inject(EMBEDDED_DATABASE) readonly embedded: boolean) {}
}
