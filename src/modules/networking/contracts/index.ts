export * from './forum';
export * from './integration-events';
