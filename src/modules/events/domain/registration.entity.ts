import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { RegistrationState } from '../contracts/views';

/**
 * A member's registration for an event: confirmed, waitlisted (in order of `queuedAt`, then `seq`) or cancelled.
 * One row per member and event; registering again after cancelling reuses it with a new place in the queue.
 */
@Entity({ schema: 'events', tableName: 'registration' })
@Unique({ properties: ['eventId', 'memberId'] })
@Index({ name: 'registration_waitlist_idx', properties: ['eventId', 'state', 'seq'] })
@Index({ name: 'registration_member_idx', properties: ['memberId', 'state'] })
export class Registration {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  eventId: string;

  @Property({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  state: RegistrationState;

  /** Companions coming with the member (family days). */
  @Property({ type: 'integer' })
  companions = 0;

  /**
   * Order of arrival: `nextval('events.registration_seq')`, taken while the event row is locked, and again when a
   * cancelled registration registers anew. The waitlist is served in this order.
   */
  @Property({ type: 'bigint' })
  seq: string;

  @Property({ type: 'datetime' })
  registeredAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  confirmedAt?: Date | null;

  /** When a waitlisted registration got its seat. */
  @Property({ type: 'datetime', nullable: true })
  promotedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  checkedInAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  checkedInBy?: string | null;

  constructor(eventId: string, memberId: string, state: RegistrationState, companions: number, seq: string) {
    this.eventId = eventId;
    this.seq = seq;
    this.memberId = memberId;
    this.state = state;
    this.companions = companions;
  }

  /** Seats this registration holds when confirmed. */
  get seats(): number {
    return 1 + this.companions;
  }
}
