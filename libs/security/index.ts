export * from './access-policy';
export * from './access.decorator';
export * from './access.guard';
export * from './csrf';
export * from './rate-limit.service';
export * from './viewer-loader';
