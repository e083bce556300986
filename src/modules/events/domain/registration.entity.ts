import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { RegistrationState } from '../contracts/views';
import { DomainError } from '@libs/ddd';

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
    if (state === 'confirmed') this.confirmedAt = this.registeredAt;
  }

  /** Seats this registration holds when confirmed. */
  get seats(): number {
    return 1 + this.companions;
  }

  // ── Check-in at the door (operators) ──────────────────────────────────────────────────────────────────────────

  /** Marks the member as arrived (only a confirmed registration); answers false when they already were. */
  checkIn(operatorId: string, now = new Date()): boolean {
    if (this.state !== 'confirmed') throw new DomainError('events.admin.errors.checkInNotConfirmed', { status: 409 });
    if (this.checkedInAt) return false;
    this.checkedInAt = now;
    this.checkedInBy = operatorId;
    return true;
  }

  undoCheckIn(): boolean {
    if (!this.checkedInAt) return false;
    this.checkedInAt = null;
    this.checkedInBy = null;
    return true;
  }

  // Members' side: the registration's own transitions (the event's counters are kept by the caller).

  get isActive(): boolean {
    return this.state === 'confirmed' || this.state === 'waitlisted';
  }

  /** Registers again after cancelling: a new place in the order of arrival. */
  renew(state: 'confirmed' | 'waitlisted', companions: number, seq: string, now: Date): void {
    this.state = state;
    this.companions = companions;
    this.seq = seq;
    this.registeredAt = now;
    this.confirmedAt = state === 'confirmed' ? now : null;
    this.promotedAt = null;
    this.cancelledAt = null;
    this.checkedInAt = null;
    this.checkedInBy = null;
  }

  /** A waitlisted registration gets its seat. */
  promote(now: Date): void {
    if (this.state !== 'waitlisted') throw new Error(`cannot promote a ${this.state} registration`);
    this.state = 'confirmed';
    this.confirmedAt = now;
    this.promotedAt = now;
  }

  cancel(now: Date): void {
    if (!this.isActive) throw new Error('registration already cancelled');
    this.state = 'cancelled';
    this.cancelledAt = now;
  }
}
