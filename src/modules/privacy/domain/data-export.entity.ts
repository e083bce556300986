import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType } from '@mikro-orm/core';
import { DataExportRepository } from './data-export.repository';
import { DataExportUnavailableError } from './privacy.errors';

export type DataExportState = 'requested' | 'ready' | 'expired' | 'failed';

/** How long the download link works once the export is ready. */
export const DATA_EXPORT_LIFETIME_DAYS = 7;
/** An export still `requested` after this long is taken as failed (its job gave up), so the member can ask again. */
export const DATA_EXPORT_STALE_AFTER_MS = 60 * 60_000;

/** A member's request for a copy of everything held about them, prepared by a job; the download expires. */
@Entity({ schema: 'privacy', tableName: 'data_export', repository: () => DataExportRepository })
@Index({ properties: ['memberId', 'requestedAt'] })
export class DataExport {
  [EntityRepositoryType]?: DataExportRepository;

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  state: DataExportState = 'requested';

  @Property({ type: 'datetime' })
  requestedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  readyAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date;

  /** The JSON document; erased when the link expires or the account is deleted. */
  @Property({ type: 'json', nullable: true, lazy: true })
  content?: Record<string, unknown> | null;

  @Property({ type: 'integer', nullable: true })
  sizeBytes?: number;

  @Property({ type: 'datetime', nullable: true })
  downloadedAt?: Date;

  constructor(memberId: string) {
    this.memberId = memberId;
  }

  /** The state a person sees: a ready export whose link has run out is expired, even before its content is erased. */
  stateAt(now = new Date()): DataExportState {
    if (this.state === 'ready' && this.expiresAt && this.expiresAt <= now) return 'expired';
    return this.state;
  }

  /** The job wrote the document: the link works for DATA_EXPORT_LIFETIME_DAYS. */
  markReady(content: Record<string, unknown>, sizeBytes: number, now = new Date()): void {
    if (this.state !== 'requested') return;
    this.content = content;
    this.sizeBytes = sizeBytes;
    this.state = 'ready';
    this.readyAt = now;
    this.expiresAt = new Date(now.getTime() + DATA_EXPORT_LIFETIME_DAYS * 24 * 3600_000);
  }

  markFailed(): void {
    if (this.state === 'requested') this.state = 'failed';
  }

  /** The owner downloads it (the content must be loaded); anything but a ready, unexpired export is refused. */
  download(now = new Date()): Record<string, unknown> {
    const state = this.stateAt(now);
    if (state !== 'ready') throw new DataExportUnavailableError(state === 'requested' || state === 'failed' ? state : 'expired');
    if (!this.content) throw new DataExportUnavailableError('expired');
    this.downloadedAt = now;
    return this.content;
  }
}
