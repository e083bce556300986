import type { Type } from '@nestjs/common';
import { ApplyRosterImportHandler } from './apply-roster-import.handler';
import { ConfirmRosterImportHandler, DiscardRosterImportHandler, PreviewRosterImportHandler } from './preview-roster-import.handler';
import { GetRosterImportHandler, ListRosterImportsHandler } from './roster-import.queries';

export { ApplyRosterImportCommand, ROSTER_BATCH_SIZE } from './apply-roster-import.handler';

/** Roster import (人事データ取込): preview, confirm, discard, the job's apply step, and the pages' queries. */
export const ROSTER_IMPORT_HANDLERS: Type[] = [
  PreviewRosterImportHandler,
  ConfirmRosterImportHandler,
  DiscardRosterImportHandler,
  ApplyRosterImportHandler,
  GetRosterImportHandler,
  ListRosterImportsHandler,
];
