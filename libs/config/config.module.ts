import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, ENVIRONMENT } from './app-config';
import { type EnvironmentVariables, validateEnvironment } from './env.schema';

@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Partial<Record<keyof EnvironmentVariables, string>> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      // Read when the application is created, not when this file is imported: start-up fills DATABASE_URL first.
      providers: [{ provide: ENVIRONMENT, useFactory: () => validateEnvironment({ ...process.env, ...overrides }) }, AppConfig],
      exports: [AppConfig, ENVIRONMENT],
    };
  }
}
