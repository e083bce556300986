import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A site notification (the bell). The text is rendered in the reader's language when shown, from `kind` (an i18n key
 * under `notifications.kinds.<kind>`) and `params`. `dedupeKey` makes a notification for one fact exist once.
 */
@Entity({ schema: 'notifications', tableName: 'notification' })
@Index({ name: 'notification_unread_idx', properties: ['memberId', 'createdAt'], where: 'read_at is null' })
@Index({ name: 'notification_member_idx', properties: ['memberId', 'createdAt', 'id'] })
export class Notification {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  kind: string;

  @Property({ type: 'json' })
  params: Record<string, string | number> = {};

  /** Where the notification leads, a path on this site. */
  @Property({ type: 'text', nullable: true })
  link?: string | null;

  @Unique()
  @Property({ type: 'text' })
  dedupeKey: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  constructor(input: { memberId: string; kind: string; params?: Record<string, string | number>; link?: string | null; dedupeKey: string }) {
    this.memberId = input.memberId;
    this.kind = input.kind;
    this.params = input.params ?? {};
    this.link = input.link ?? null;
    this.dedupeKey = input.dedupeKey;
  }
}
