import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, ENVIRONMENT } from './app-config';
import { EnvironmentVariables, validateEnvironment } from './env.schema';

@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Partial<Record<keyof EnvironmentVariables, string>> = {}): DynamicModule {
    const env = validateEnvironment({ ...process.env, ...overrides });
    return {
      module: AppConfigModule,
      providers: [{ provide: ENVIRONMENT, useValue: env }, AppConfig],
      exports: [AppConfig, ENVIRONMENT],
    };
  }
}
