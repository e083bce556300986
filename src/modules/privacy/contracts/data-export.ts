// A member's download of everything held about them.
import { Command, Query } from '@nestjs/cqrs';

export type DataExportStateView = 'requested' | 'ready' | 'expired' | 'failed';

export interface DataExportView {
  exportId: string;
  /** `ready` only while the link works; a ready export past its expiry is `expired`. */
  state: DataExportStateView;
  requestedAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  sizeBytes: number | null;
  downloadedAt: Date | null;
}

/**
 * The member asks for a copy of their data: the request and the job that prepares it are written in one transaction.
 * Refused while another export of theirs is still being prepared. Answers the new export's id.
 */
export class RequestDataExportCommand extends Command<{ exportId: string }> {
  constructor(readonly memberId: string) {
    super();
  }
}

/** The member's exports, newest first (the last ten). */
export class ListDataExportsQuery extends Query<DataExportView[]> {
  constructor(readonly memberId: string) {
    super();
  }
}

/**
 * The owner downloads a ready export before it expires (records when). Any other case fails with a clear reason:
 * not found (or not theirs), still being prepared, failed, or expired (its content is erased on the spot).
 */
export class DownloadDataExportCommand extends Command<{ fileName: string; json: string; sizeBytes: number }> {
  constructor(readonly memberId: string, readonly exportId: string) {
    super();
  }
}

/** Privacy's own BullMQ queues, named here so that the operations dashboard can list them. */
export const PRIVACY_QUEUES = {
  /** Hourly upkeep: erases the content of exports whose link ran out, even if their delayed erasure job was lost. */
  maintenance: 'privacy-maintenance',
} as const;
