import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MembershipModule } from '../membership.module';
import { RosterImportProcessor } from './roster-import.processor';
import { ROSTER_IMPORT_QUEUE } from './roster-import.queue';

/** Membership's BullMQ processors; part of the worker process only. */
@Module({
  imports: [MembershipModule, BullModule.registerQueue({ name: ROSTER_IMPORT_QUEUE })],
  providers: [RosterImportProcessor],
})
export class MembershipWorkerModule {}
