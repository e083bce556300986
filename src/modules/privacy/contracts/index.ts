export * from './views';
export * from './consent';
export * from './audit';
export * from './data-export';
