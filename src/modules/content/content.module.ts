import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { ContentStore } from './application/content-store';
import { ContentWriter } from './application/content-writer';
import {
  GetContentFiguresHandler,
  GetContentHandler,
  GetContentHomeHandler,
  GetContentImageAccessHandler,
  ListContentHandler,
  ListContentRevisionsHandler,
  ListEventReportsHandler,
  ListMyContentHandler,
  ListPublicContentHandler,
  ListRelatedContentHandler,
  ListReviewQueueHandler,
  PreviewContentHandler,
} from './application/reading.handlers';
import {
  CreateContentHandler,
  DeclineContentHandler,
  DiscardContentHandler,
  FeatureContentHandler,
  PublishContentHandler,
  PublishScheduledContentHandler,
  ReturnContentHandler,
  SubmitContentHandler,
  UnpublishContentHandler,
  UpdateContentHandler,
  WithdrawContentHandler,
} from './application/workflow.handlers';

/**
 * Content: company news, industry information, columns and event reports — the workflow (draft, review, scheduled
 * publication, revisions), reading, likes, comments, views, the public feed and sitemap entries.
 */
@Module({
  imports: [CqrsModule, ImagesModule],
  providers: [
    ContentStore,
    ContentWriter,
    CreateContentHandler,
    UpdateContentHandler,
    SubmitContentHandler,
    WithdrawContentHandler,
    PublishContentHandler,
    PublishScheduledContentHandler,
    ReturnContentHandler,
    DeclineContentHandler,
    UnpublishContentHandler,
    DiscardContentHandler,
    FeatureContentHandler,
    ListContentHandler,
    GetContentHandler,
    GetContentHomeHandler,
    ListRelatedContentHandler,
    ListMyContentHandler,
    ListReviewQueueHandler,
    ListContentRevisionsHandler,
    PreviewContentHandler,
    ListEventReportsHandler,
    GetContentImageAccessHandler,
    ListPublicContentHandler,
    GetContentFiguresHandler,
  ],
})
export class ContentModule {}
