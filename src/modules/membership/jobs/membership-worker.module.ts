import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MembershipModule } from '../membership.module';
import { PHOTOS_QUEUE } from './photos.queue';
import { ReencodeLegacyPhotosProcessor } from './reencode-legacy-photos.processor';
import { RosterImportProcessor } from './roster-import.processor';
import { ROSTER_IMPORT_QUEUE } from './roster-import.queue';

/** Membership's BullMQ processors; part of the worker process only. */
@Module({
  imports: [MembershipModule, BullModule.registerQueue({ name: ROSTER_IMPORT_QUEUE }, { name: PHOTOS_QUEUE })],
  providers: [RosterImportProcessor, ReencodeLegacyPhotosProcessor],
})
export class MembershipWorkerModule {}
