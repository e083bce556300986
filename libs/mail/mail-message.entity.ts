import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * One e-mail, rendered when it was queued. `key` makes queueing idempotent (the same business fact never
 * mails twice); `sentAt` makes sending idempotent (a retried job does not send again).
 */
@Entity({ schema: 'platform', tableName: 'mail_message' })
@Index({ properties: ['createdAt'] })
export class MailMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'text' })
  key: string;

  @Property({ type: 'text' })
  template: string;

  @Property({ type: 'text' })
  locale: string;

  @Property({ type: 'text' })
  to: string;

  @Property({ type: 'text' })
  subject: string;

  @Property({ type: 'text' })
  text: string;

  @Property({ type: 'text' })
  html: string;

  @Property({ type: 'json', nullable: true })
  headers?: Record<string, string>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;

  @Property({ type: 'text', nullable: true })
  transport?: 'smtp' | 'local';

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string;

  constructor(input: Pick<MailMessage, 'key' | 'template' | 'locale' | 'to' | 'subject' | 'text' | 'html'>) {
    Object.assign(this, input);
  }
}
