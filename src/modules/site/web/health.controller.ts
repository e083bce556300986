import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import { RedisConnections } from '@libs/queue/redis-connections';
import { Access } from '@libs/security/access.decorator';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: RedisConnections,
  ) {}

  /** Liveness and readiness: 200 when PostgreSQL and Redis answer, 503 otherwise. */
  @Get('health')
  @Access('public')
  async health(@Res() res: Response): Promise<void> {
    const [database, redis] = await Promise.all([
      this.em.getConnection().execute('select 1').then(() => true, () => false),
      this.redis.ping(),
    ]);
    const ok = database && redis;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: database ? 'up' : 'down', redis: redis ? 'up' : 'down' });
  }
}
