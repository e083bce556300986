export * from './forum';
export * from './integration-events';
export * from './chat';
export * from './personal-data';
