export * from './content';
export * from './integration-events';
