import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

/** The bell in the header and the notifications page. */
@Module({
  imports: [CqrsModule],
  controllers: [],
})
export class NotificationsWebModule {}
