import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ContentApiController } from './content.api-controller';

/** Content's JSON API under /api/v1/content. */
@Module({
  imports: [CqrsModule],
  controllers: [ContentApiController],
})
export class ContentApiModule {}
