export * from './personal-data-registry';
