import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountDeletionPageController } from './account-deletion.page-controller';
import { DataExportPageController } from './data-export.page-controller';
import { PrivacyPageController } from './privacy.page-controller';

/** The member's privacy pages: consent, data download, account deletion. */
@Module({
  imports: [CqrsModule],
  controllers: [PrivacyPageController, DataExportPageController, AccountDeletionPageController],
})
export class PrivacyWebModule {}
