import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { INTEGRATION_EVENTS_QUEUE } from '@libs/queue/queue-names';
import { OutboxMessage } from './outbox-message.entity';
import { ProcessedJob } from './processed-job.entity';
import { OutboxRelay } from './outbox-relay.service';
import { IntegrationEventsProcessor } from './integration-events.processor';

/** Entities of the outbox; every process that writes to it imports this. */
@Module({ imports: [MikroOrmModule.forFeature([OutboxMessage, ProcessedJob])] })
export class OutboxModule {}

/** The relay and the integration-event dispatcher; only the worker process imports this. */
@Module({
  imports: [OutboxModule, DiscoveryModule, BullModule.registerQueue({ name: INTEGRATION_EVENTS_QUEUE })],
  providers: [OutboxRelay, IntegrationEventsProcessor],
  exports: [OutboxRelay, IntegrationEventsProcessor],
})
export class OutboxWorkerModule {}
