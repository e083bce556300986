import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

/** Content's JSON API under /api/v1/content. */
@Module({
  imports: [CqrsModule],
  controllers: [],
})
export class ContentApiModule {}
