export * from './integration-event';
export * from './integration-event-handler';
export * from './outbox';
export * from './outbox-message.entity';
export * from './outbox.module';
export * from './processed-job.entity';
export * from './run-once';
