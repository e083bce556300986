import { Migrator } from '@mikro-orm/migrations';
import { type Options, PostgreSqlDriver, UnderscoreNamingStrategy } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { MigrationObject } from '@mikro-orm/core';

export interface OrmOptionsInput {
  url: string;
  migrations: MigrationObject[];
  debug?: boolean;
  poolMax?: number;
}

/** One place for the ORM settings shared by the web process, the worker, scripts and tests. */
export function ormOptions(input: OrmOptionsInput): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: input.url,
    metadataProvider: ReflectMetadataProvider,
    namingStrategy: UnderscoreNamingStrategy,
    extensions: [Migrator],
    debug: input.debug ?? false,
    pool: { min: 0, max: input.poolMax ?? 10 },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    migrations: {
      tableName: 'mikro_orm_migrations',
      schema: 'public',
      migrationsList: input.migrations,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      path: 'src/migrations',
      pathTs: 'src/migrations',
      emit: 'ts',
    },
  };
}
