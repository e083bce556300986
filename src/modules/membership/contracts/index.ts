export * from './commands';
export * from './integration-events';
export * from './queries';
export * from './views';
