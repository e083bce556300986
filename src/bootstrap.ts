import 'reflect-metadata';
import { Logger as NestLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Logger } from 'nestjs-pino';
import { Redis } from 'ioredis';
import { AppConfig } from '@libs/config';
import { migrateDatabase, resolveDatabase } from '@libs/database';
import { configureWebApp, installErrorHandler } from '@libs/web/web-platform';
import { RebuildSearchIndexCommand, SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { SeedDemoEventsCommand } from '@modules/events/contracts';
import { mountQueueDashboard } from '@modules/admin/web/queue-dashboard';
import { AppModule } from './app.module';

/** Fills DATABASE_URL when unset (local server, else embedded PostgreSQL) and checks that Redis answers. */
export async function prepareEnvironment(): Promise<{ stopDatabase?: () => Promise<void> }> {
  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  if (db.source !== 'env') NestLogger.log(`Using ${db.source === 'local' ? 'the local PostgreSQL server' : 'embedded PostgreSQL (var/postgres)'}`, 'Database');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    console.error(
      `Redis is not reachable at ${redisUrl}. Start it with: redis-server --daemonize yes --port 6379 (or docker compose -f docker/compose.yaml up -d redis), or set REDIS_URL.`,
    );
    process.exit(1);
  } finally {
    probe.disconnect();
  }
  return { stopDatabase: db.stop };
}

/** Applies migrations and, on an empty database, creates the demo community. */
export async function prepareDatabase(app: INestApplicationContext): Promise<void> {
  const config = app.get(AppConfig);
  const orm = app.get(MikroORM);
  if (config.migrateOnStart) await migrateDatabase(orm, config.databaseUrl);
  // Profiles written before the directory existed get their search columns (a no-op afterwards).
  await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new RebuildSearchIndexCommand(true)));
  if (config.demoSeed && !config.isTest) {
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoCommunityCommand(config.demoMembers)));
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoEventsCommand()));
  }
}

export async function createWebApp(options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
    logger: options.logger === false ? false : undefined,
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  configureWebApp(app);
  mountQueueDashboard(app);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kizuna API')
      .setDescription('JSON API of the Kizuna alumni community. Authenticated by the session cookie; send the session\'s CSRF token (`csrfToken` of GET /api/v1/me) as X-CSRF-Token on every write.')
      .setVersion('1')
      .addCookieAuth('kizuna.sid')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  await app.init();
  installErrorHandler(app);
  return app;
}

/** Runs a process's main function: on SIGTERM/SIGINT it closes the app (and an embedded database) and exits. */
export function runProcess(start: () => Promise<{ close(): Promise<unknown> }>, stopDatabase?: () => Promise<void>): void {
  start()
    .then((app) => {
      const stop = async () => {
        await app.close();
        await stopDatabase?.();
        process.exit(0);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
