export * from './database.module';
export * from './migrate';
export * from './orm-options';
export * from './resolve-database';
