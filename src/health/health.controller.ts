import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { LivenessResponse, ReadinessResponse } from './health.responses';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { DomainError } from '../common/errors';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse })
  live() {
    return { status: 'ok', uptime_seconds: Math.round(process.uptime()) };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers within 2 s' })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiErrors(503)
  async ready() {
    const started = Date.now();
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
    } catch (e) {
      throw new DomainError('unavailable', `Database not reachable: ${(e as Error).message}`);
    }
    return { status: 'ok', database: 'up', latency_ms: Date.now() - started };
  }
}
