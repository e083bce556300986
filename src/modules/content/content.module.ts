import { GetContentArticleHandler } from './application/article.handler';
import { Module, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@libs/personal-data';
import { GetContentPersonalDataQuery } from './contracts';
import { GetContentPersonalDataHandler } from './application/personal-data.handler';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { ContentStore } from './application/content-store';
import { ContentWriter } from './application/content-writer';
import {
  ApplyContentModerationOnDecidedHandler,
  CommentOnContentHandler,
  DeleteContentCommentHandler,
  LikeContentHandler,
  ListContentCommentsHandler,
  GetContentCommentHandler,
  ReportContentCommentHandler,
} from './application/engagement.handlers';
import { UploadContentImageHandler } from './application/images.handlers';
import { GetCommentNoticeHandler, GetContentLikesSinceHandler, GetContentNoticeHandler } from './application/notices.handlers';
import { SeedDemoContentHandler } from './application/seed-demo-content.handler';
import { FlushContentViewsHandler, RecordContentViewHandler } from './application/views.handlers';
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
    UploadContentImageHandler,
    LikeContentHandler,
    ListContentCommentsHandler,
    GetContentArticleHandler,
    GetContentCommentHandler,
    CommentOnContentHandler,
    DeleteContentCommentHandler,
    ReportContentCommentHandler,
    ApplyContentModerationOnDecidedHandler,
    RecordContentViewHandler,
    FlushContentViewsHandler,
    GetContentNoticeHandler,
    GetContentLikesSinceHandler,
    GetCommentNoticeHandler,
    SeedDemoContentHandler,
    GetContentPersonalDataHandler,
    // Comments are rate-limited in the command (pages, the JSON API and any later caller alike).
    RateLimitService,
  ],
})
export class ContentModule implements OnModuleInit {
  constructor(private readonly personalData: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.personalData.register({ key: 'content', query: (memberId) => new GetContentPersonalDataQuery(memberId) });
  }
}
