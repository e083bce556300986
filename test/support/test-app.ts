import { PersonalDataModule } from '@libs/personal-data';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule, QueryBus, type Command, type Query } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfigModule } from '@libs/config';
import { DatabaseModule } from '@libs/database/database.module';
import { migrateDatabase } from '@libs/database/migrate';
import { MailModule } from '@libs/mail/mail.module';
import { OutboxModule } from '@libs/outbox/outbox.module';
import { migrations } from '../../src/migrations';
import { createWebApp, prepareDatabase } from '../../src/bootstrap';
import { track } from './resources';

let migrated: Promise<void> | undefined;

/** Applies the migrations to this run's database once per test process. */
export async function ensureMigrated(orm: Parameters<typeof migrateDatabase>[0]): Promise<void> {
  migrated ??= migrateDatabase(orm, process.env.DATABASE_URL as string).then(() => undefined);
  await migrated;
}

/** Deletes every row of the module schemas, so that a test file starts from an empty community. */
export async function resetDatabase(em: EntityManager): Promise<void> {
  const tables = await em.getConnection().execute<{ t: string }[]>(
    `select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname not in ('pg_catalog', 'information_schema', 'public')`,
  );
  if (tables.length) await em.getConnection().execute(`truncate ${tables.map((r) => r.t).join(', ')} cascade`);
}

export interface ModuleHarness {
  app: INestApplicationContext;
  em: EntityManager;
  /** Executes a command in its own request context, as a controller or processor would. */
  command<R>(command: Command<R>): Promise<R>;
  query<R>(query: Query<R>): Promise<R>;
  /** Runs work with a fresh entity manager (to read what a command wrote). */
  fresh<R>(work: (em: EntityManager) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Boots one or more modules with the real infrastructure (PostgreSQL, configuration, outbox, mail outbox). */
export async function bootModules(modules: (Type | DynamicModule)[], providers: Type[] = []): Promise<ModuleHarness> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(),
      DatabaseModule.forRoot(migrations, { requestContext: false }),
      OutboxModule,
      MailModule,
      CqrsModule.forRoot(),
      PersonalDataModule,
      ...modules,
    ],
    providers,
  }).compile();
  // Tracked before init, so that a module failing to start still has its connections closed after the file.
  const app = await track(moduleRef, 'modules').init();
  await ensureMigrated(app.get(MikroORM));
  const em = app.get(EntityManager);
  const commands = app.get(CommandBus);
  const queries = app.get(QueryBus);
  return {
    app,
    em,
    command: (c) => RequestContext.create(em.fork(), () => commands.execute(c)),
    query: (q) => RequestContext.create(em.fork(), () => queries.execute(q)),
    fresh: (work) => work(em.fork()),
    close: () => app.close(),
  };
}

/** The whole web application, as `npm start` runs it, on this run's database and Redis prefix. */
export async function bootWebApp(): Promise<NestExpressApplication> {
  const app = track(await createWebApp({ logger: false }), 'web app');
  await ensureMigrated(app.get(MikroORM));
  await prepareDatabase(app);
  return app;
}
