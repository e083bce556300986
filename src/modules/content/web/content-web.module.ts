import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

/** Content's pages: /content, the editor, the review queue, the Atom feed and the sitemap. */
@Module({
  imports: [CqrsModule],
  controllers: [],
})
export class ContentWebModule {}
