import { DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { MigrationObject } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { ormOptions } from './orm-options';

@Module({})
export class DatabaseModule {
  static forRoot(migrations: MigrationObject[], opts: { poolMax?: number; requestContext?: boolean } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...ormOptions({ url: config.databaseUrl, migrations, poolMax: opts.poolMax }),
            autoLoadEntities: true,
            registerRequestContext: opts.requestContext ?? true,
          }),
          driver: PostgreSqlDriver,
        }),
      ],
    };
  }
}
