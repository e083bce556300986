import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { prepareEnvironment, runProcess } from './bootstrap';
import { WorkerModule } from './worker.module';

/** The worker process: the outbox relay and every BullMQ processor. */
let stopDatabase: (() => Promise<void>) | undefined;
runProcess(async () => {
  ({ stopDatabase } = await prepareEnvironment());
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  console.log('Kizuna worker is running');
  return app;
}, () => stopDatabase?.() ?? Promise.resolve());
