import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** A member's personal iCalendar feed: the URL carries a secret token (only its hash is kept); revoking replaces it. */
@Entity({ schema: 'events', tableName: 'calendar_feed' })
export class CalendarFeed {
  @PrimaryKey({ type: 'uuid' })
  memberId: string;

  @Unique()
  @Property({ type: 'text' })
  tokenHash: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  constructor(memberId: string, tokenHash: string) {
    this.memberId = memberId;
    this.tokenHash = tokenHash;
  }
}
