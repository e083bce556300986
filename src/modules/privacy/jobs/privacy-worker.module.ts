import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { PRIVACY_QUEUES } from '../contracts/data-export';
import { PrivacyModule } from '../privacy.module';
import { PrivacyMaintenanceProcessor } from './privacy-maintenance.processor';

/** Privacy's BullMQ processors (hourly upkeep of data exports); part of the worker process only. */
@Module({
  imports: [PrivacyModule, BullModule.registerQueue({ name: PRIVACY_QUEUES.maintenance })],
  providers: [PrivacyMaintenanceProcessor],
})
export class PrivacyWorkerModule {}
