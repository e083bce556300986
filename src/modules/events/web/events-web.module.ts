import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

/** Events pages for members (/events) and operators (/admin/events), and the calendar files. */
@Module({
  imports: [CqrsModule],
  controllers: [],
})
export class EventsWebModule {}
