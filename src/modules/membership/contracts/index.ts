export * from './commands';
export * from './integration-events';
export * from './queries';
export * from './views';
export * from './roster';
export * from './personal-data';
export * from './directory-export';
export * from './time-zone';
