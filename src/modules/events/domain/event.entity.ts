import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType } from '@mikro-orm/core';
import type { EventCategory, EventFormat, EventState, EventVisibility } from '../contracts/views';

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

  constructor(input: { title: string; category: EventCategory; format: EventFormat; startsAt: Date; endsAt: Date; organiserName: string; createdBy: string }) {
    this.title = input.title;
    this.category = input.category;
    this.format = input.format;
    this.startsAt = input.startsAt;
    this.endsAt = input.endsAt;
    this.organiserName = input.organiserName;
    this.createdBy = input.createdBy;
  }
}
