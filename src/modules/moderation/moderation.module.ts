import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  CountOpenModerationCasesHandler,
  DecideModerationHandler,
  GetModerationHistoryHandler,
  ListModerationQueueHandler,
  ReportContentHandler,
} from './application/moderation-queue.handlers';

/** The moderation queue: members' reports from every module, and operators' decisions on them. */
@Module({
  imports: [CqrsModule],
  providers: [ReportContentHandler, DecideModerationHandler, ListModerationQueueHandler, GetModerationHistoryHandler, CountOpenModerationCasesHandler],
})
export class ModerationModule {}
