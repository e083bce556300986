import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A job to enqueue once the transaction that wrote it has committed. */
@Entity({ schema: 'platform', tableName: 'outbox' })
@Index({ name: 'outbox_pending_idx', properties: ['createdAt'], where: 'relayed_at is null' })
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  queue: string;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'json' })
  payload: Record<string, unknown>;

  /** BullMQ job id: adding the same id twice is a no-op, so a relay that dies mid-way cannot double a job. */
  @Property({ type: 'text' })
  jobId: string;

  /** For delayed jobs (reminders): when the job should run. */
  @Property({ type: 'datetime', nullable: true })
  runAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  relayedAt?: Date;

  constructor(input: { queue: string; name: string; payload: Record<string, unknown>; jobId?: string; runAt?: Date }) {
    this.queue = input.queue;
    this.name = input.name;
    this.payload = input.payload;
    this.jobId = input.jobId ?? this.id;
    this.runAt = input.runAt;
  }
}
