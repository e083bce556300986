export * from './mail-message.entity';
export * from './mail-outbox';
export * from './mail-renderer';
export * from './mail.module';
