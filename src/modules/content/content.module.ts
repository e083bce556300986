import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';

/**
 * Content: company news, industry information, columns and event reports — the workflow (draft, review, scheduled
 * publication, revisions), reading, likes, comments, views, the public feed and sitemap entries.
 */
@Module({
  imports: [CqrsModule, ImagesModule],
  providers: [],
})
export class ContentModule {}
