import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

/** The member's privacy pages: consent, data download, account deletion. */
@Module({
  imports: [CqrsModule],
  controllers: [],
})
export class PrivacyWebModule {}
