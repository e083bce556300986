import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership.module';

/** Membership's BullMQ processors; part of the worker process only. */
@Module({
  imports: [MembershipModule],
  providers: [],
})
export class MembershipWorkerModule {}
