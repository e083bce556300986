import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
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
import { SeedDemoChatCommand, SeedDemoForumCommand } from '@modules/networking/contracts';
import { SeedDemoContentCommand } from '@modules/content/contracts';
import { mountQueueDashboard } from '@modules/admin/web/queue-dashboard';
import { ChatIoAdapter } from '@modules/networking/realtime/io-adapter';
import { AppModule } from './app.module';

/** Whether Redis answers PING at `url` (within two seconds). */
async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** The `redis-server` on PATH, if installed. */
function redisServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir || '.', 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * For `npm start` on a developer's machine: starts a local `redis-server` in the background (as CI does) when Redis
 * should be on this machine, is installed, and is not running. Returns whether it answers afterwards.
 */
async function startLocalRedis(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return false;
  const binary = redisServerBinary();
  if (!binary) return false;
  NestLogger.log(`Starting ${binary} on port ${port || 6379} (it keeps running after Kizuna stops)`, 'Redis');
  try {
    execFileSync(binary, ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port || '6379', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return false;
  }
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Fills DATABASE_URL when unset (local server, else embedded PostgreSQL) and checks that Redis answers; with
 * `startRedis` (`npm start`), an installed but stopped local `redis-server` is started first.
 */
export async function prepareEnvironment(options: { startRedis?: boolean } = {}): Promise<{ stopDatabase?: () => Promise<void> }> {
  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  if (db.source !== 'env') NestLogger.log(`Using ${db.source === 'local' ? 'the local PostgreSQL server' : 'embedded PostgreSQL (var/postgres)'}`, 'Database');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const reachable = (await redisAnswers(redisUrl)) || (options.startRedis === true && (await startLocalRedis(redisUrl)));
  if (!reachable) {
    console.error(
      `Redis is not reachable at ${redisUrl}. Install and start it (Debian/Ubuntu: sudo apt-get install redis-server; or docker compose -f docker/compose.yaml up -d redis), or set REDIS_URL.`,
    );
    await db.stop?.();
    process.exit(1);
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
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoForumCommand()));
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoChatCommand()));
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoContentCommand()));
  }
}

export async function createWebApp(options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
    logger: options.logger === false ? false : undefined,
  });
  try {
    if (options.logger !== false) app.useLogger(app.get(Logger));
    configureWebApp(app);
    mountQueueDashboard(app);
    // Chat's Socket.IO on the same HTTP server, with the Redis adapter shared by every web process.
    app.useWebSocketAdapter(new ChatIoAdapter(app));

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
  } catch (e) {
    // Whatever was opened (Redis, the database pool, queues) is closed, so that a failed start never lingers.
    await app.close().catch(() => undefined);
    throw e;
  }
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
