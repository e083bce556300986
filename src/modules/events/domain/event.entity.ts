import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType } from '@mikro-orm/core';
import { searchText, searchTokens } from '@libs/search/japanese-text';
import type { EventCategory, EventFormat, EventState, EventVisibility } from '../contracts/views';
import { registrationClosesAt, seatsLeft } from './registration-rules';
import { DomainError } from '@libs/ddd';
import { notifiedChanges, type EventDetails, type NotifiedField } from './event-schedule';

/** The searchable text and tokens of an event (title, description, notes, place, organiser), folded by libs/search. */
export function eventSearchColumns(e: { title: string; description: string; notes?: string | null; place?: string | null; organiserName: string }): {
  searchText: string;
  searchTokens: string[];
} {
  const parts = [e.title, e.description, e.notes, e.place, e.organiserName];
  return { searchText: searchText(...parts), searchTokens: searchTokens(...parts) };
}

/**
 * An event (イベント) that operators create and publish and members register for. Seats are counted on the row
 * (`confirmedSeats`), which registrations lock, so that no more are confirmed than the capacity allows.
 */
@Entity({ schema: 'events', tableName: 'event' })
@Index({ name: 'event_listing_idx', properties: ['state', 'startsAt', 'id'] })
@Index({ name: 'event_published_idx', properties: ['publishedAt'] })
@Index({ name: 'event_search_idx', properties: ['searchTokens'], type: 'gin' })
export class Event {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  title: string;

  @Property({ type: 'text' })
  category: EventCategory;

  @Property({ type: 'text' })
  format: EventFormat;

  @Property({ type: 'datetime' })
  startsAt: Date;

  @Property({ type: 'datetime' })
  endsAt: Date;

  /** The time zone the event is announced in (shown to members in theirs). */
  @Property({ type: 'text' })
  timeZone = 'Asia/Tokyo';

  /** Place name and address (on site or hybrid). */
  @Property({ type: 'text', nullable: true })
  place?: string | null;

  /** Shown only to confirmed participants. */
  @Property({ type: 'text', nullable: true })
  onlineUrl?: string | null;

  /** 0 is free. */
  @Property({ type: 'integer' })
  feeYen = 0;

  @Property({ type: 'text', nullable: true })
  paymentNote?: string | null;

  /** Seats, companions included; null when there is no limit. */
  @Property({ type: 'integer', nullable: true })
  capacity?: number | null;

  /** Registration closes then; null means at the start. */
  @Property({ type: 'datetime', nullable: true })
  deadlineAt?: Date | null;

  /** Markdown, rendered sanitised. */
  @Property({ type: 'text' })
  description = '';

  /** What to bring, dress code. */
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'text' })
  visibility: EventVisibility = 'members';

  /** How many companions one registration may bring (family days); 0 for none. */
  @Property({ type: 'integer' })
  maxCompanions = 0;

  /** Shown as the organiser, e.g. 運営事務局 or a department. */
  @Property({ type: 'text' })
  organiserName: string;

  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'text' })
  state: EventState = 'draft';

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  /** Seats held by confirmed registrations (each is 1 + companions). */
  @Property({ type: 'integer' })
  confirmedSeats = 0;

  @Property({ type: 'integer' })
  waitlistCount = 0;

  /** Normalised title, description, notes, place and organiser (libs/search/japanese-text). */
  @Property({ type: 'text' })
  searchText = '';

  @Property({ type: new ArrayType() })
  searchTokens: string[] = [];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /**
   * The iCalendar SEQUENCE: grows when what a calendar shows changes (title, times, place, online URL, format,
   * description) or the event is cancelled, so calendars take the newer version — not when seats are taken.
   */
  @Property({ type: 'integer', default: 0 })
  calendarSequence = 0;

  constructor(input: { title: string; category: EventCategory; format: EventFormat; startsAt: Date; endsAt: Date; organiserName: string; createdBy: string }) {
    this.title = input.title;
    this.category = input.category;
    this.format = input.format;
    this.startsAt = input.startsAt;
    this.endsAt = input.endsAt;
    this.organiserName = input.organiserName;
    this.createdBy = input.createdBy;
  }

  // Members' side: search text, seats and the registration counters (the rules are in registration-rules.ts).

  /** Recomputes the searchable text and tokens; call after changing title, description, notes, place or organiser. */
  refreshSearch(): void {
    Object.assign(this, eventSearchColumns(this));
  }

  get registrationClosesAt(): Date {
    return registrationClosesAt(this);
  }

  /** Free seats, or null without a limit. */
  get seatsLeft(): number | null {
    return seatsLeft(this);
  }

  /** Counts a registration of `seats` that joined (confirmed or waitlisted). */
  countJoined(state: 'confirmed' | 'waitlisted', seats: number): void {
    if (state === 'confirmed') this.confirmedSeats += seats;
    else this.waitlistCount += 1;
  }

  /** Counts a registration that left the state it was in (cancelled, or promoted off the waitlist). */
  countLeft(state: 'confirmed' | 'waitlisted', seats: number): void {
    if (state === 'confirmed') this.confirmedSeats = Math.max(0, this.confirmedSeats - seats);
    else this.waitlistCount = Math.max(0, this.waitlistCount - 1);
  }


  // ── Details, publishing and cancelling (operators) ─────────────────────────────────────────────────────────────

  /** A draft from details that passed the rules of domain/event-schedule. */
  static draft(details: EventDetails, createdBy: string): Event {
    const event = new Event({ ...details, createdBy });
    event.applyDetails(details);
    event.calendarSequence = 0;
    return event;
  }

  /**
   * Replaces the details; answers which of start, end, place, online URL and format changed. A cancelled event
   * cannot be edited, and the capacity may not fall below the seats already confirmed.
   */
  applyDetails(details: EventDetails): NotifiedField[] {
    if (this.state === 'cancelled') throw new EventCancelledError();
    if (details.capacity !== null && details.capacity < this.confirmedSeats) {
      throw new DomainError('events.admin.errors.capacityBelowConfirmed', { field: 'capacity', params: { confirmed: this.confirmedSeats } });
    }
    const changed = notifiedChanges({ startsAt: this.startsAt, endsAt: this.endsAt, place: this.place ?? null, onlineUrl: this.onlineUrl ?? null, format: this.format }, details);
    const shown = () => JSON.stringify([this.title, this.startsAt, this.endsAt, this.place ?? null, this.onlineUrl ?? null, this.format, this.description]);
    const before = shown();
    Object.assign(this, details);
    if (shown() !== before) this.calendarSequence += 1;
    return changed;
  }

  /** Publishes a draft (publishedAt drives the NEW badge); publishing again changes nothing. */
  publish(now = new Date()): boolean {
    if (this.state === 'cancelled') throw new EventCancelledError();
    if (this.state === 'published') return false;
    this.state = 'published';
    this.publishedAt = now;
    return true;
  }

  /** Cancels the event; registrations stay as they are. Cancelling again changes nothing. */
  cancel(reason: string | null, now = new Date()): boolean {
    if (this.state === 'cancelled') return false;
    this.state = 'cancelled';
    this.cancelledAt = now;
    this.cancelReason = reason;
    this.calendarSequence += 1;
    return true;
  }
}

/** A cancelled event is closed: no edits, no publishing, no registrations, no check-in. */
export class EventCancelledError extends DomainError {
  constructor() {
    super('events.admin.errors.cancelled', { status: 409 });
  }
}
