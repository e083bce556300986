export * from './views';
export * from './integration-events';
