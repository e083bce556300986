export * from './form-state';
export * from './http-error.filter';
export * from './nav-registry';
export * from './request-validation';
export * from './session-registry';
export * from './view-engine';
export * from './web-platform';
export * from './web-platform.module';
