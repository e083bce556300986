export * from './catalog';
export * from './negotiate';
