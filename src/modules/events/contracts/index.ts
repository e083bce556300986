export * from './views';
export * from './integration-events';
export * from './admin';
export * from './listing';
export * from './registration';
export * from './reminders';
export * from './home';
