import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type DataExportState = 'requested' | 'ready' | 'expired' | 'failed';

/** A member's request for a copy of everything held about them, prepared by a job; the download expires. */
@Entity({ schema: 'privacy', tableName: 'data_export' })
@Index({ properties: ['memberId', 'requestedAt'] })
export class DataExport {
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
}
