import type { Type } from '@nestjs/common';
import { DownloadDataExportHandler, ListDataExportsHandler, RequestDataExportHandler } from './data-export.handlers';
import { EraseDataExportOnExpiryDueHandler, EraseDataExportsOnMemberDeletedHandler } from './erase-data-export.handlers';
import { PrepareDataExportOnRequestedHandler } from './prepare-data-export-on-requested.handler';

export const DATA_EXPORT_HANDLERS: Type[] = [
  RequestDataExportHandler,
  ListDataExportsHandler,
  DownloadDataExportHandler,
  PrepareDataExportOnRequestedHandler,
  EraseDataExportOnExpiryDueHandler,
  EraseDataExportsOnMemberDeletedHandler,
];
