import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** One row per job that has done its work: the database key that makes every job handler idempotent. */
@Entity({ schema: 'platform', tableName: 'processed_job' })
export class ProcessedJob {
  @PrimaryKey({ type: 'text' })
  key: string;

  @Property({ type: 'datetime' })
  processedAt: Date = new Date();
}
