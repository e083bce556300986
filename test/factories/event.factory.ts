import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventCategory, EventFormat, EventState, EventVisibility } from '@modules/events/contracts';
import { Event } from '@modules/events/domain/event.entity';

export interface EventSpec {
  title?: string;
  category?: EventCategory;
  format?: EventFormat;
  visibility?: EventVisibility;
  state?: EventState;
  /** Start, as days from now (fractions allowed); 14 unless given. */
  inDays?: number;
  startsAt?: Date;
  /** Length in hours (2 unless given). */
  hours?: number;
  deadlineAt?: Date | null;
  capacity?: number | null;
  maxCompanions?: number;
  place?: string | null;
  onlineUrl?: string | null;
  feeYen?: number;
  paymentNote?: string | null;
  description?: string;
  notes?: string | null;
  organiserName?: string;
  publishedAt?: Date | null;
  createdBy?: string;
}

/** Builds an event (published unless told) with its search text, and saves it. */
export async function buildEvent(em: EntityManager, spec: EventSpec = {}): Promise<Event> {
  const startsAt = spec.startsAt ?? new Date(Date.now() + (spec.inDays ?? 14) * 24 * 3600 * 1000);
  const event = new Event({
    title: spec.title ?? 'アルムナイ交流会',
    category: spec.category ?? 'party',
    format: spec.format ?? 'onsite',
    startsAt,
    endsAt: new Date(startsAt.getTime() + (spec.hours ?? 2) * 3600 * 1000),
    organiserName: spec.organiserName ?? '運営事務局',
    createdBy: spec.createdBy ?? randomUUID(),
  });
  event.visibility = spec.visibility ?? 'members';
  event.state = spec.state ?? 'published';
  event.deadlineAt = spec.deadlineAt ?? null;
  event.capacity = spec.capacity === undefined ? 50 : spec.capacity;
  event.maxCompanions = spec.maxCompanions ?? 0;
  event.place = spec.place === undefined ? (event.format === 'online' ? null : '東京都千代田区丸の内1-1 本社ビル') : spec.place;
  event.onlineUrl = spec.onlineUrl ?? null;
  event.feeYen = spec.feeYen ?? 0;
  event.paymentNote = spec.paymentNote ?? null;
  event.description = spec.description ?? '皆さまのご参加をお待ちしています。';
  event.notes = spec.notes ?? null;
  if (event.state !== 'draft') event.publishedAt = spec.publishedAt === undefined ? new Date(Date.now() - 30 * 24 * 3600 * 1000) : spec.publishedAt;
  if (event.state === 'cancelled') event.cancelledAt = new Date();
  event.refreshSearch();
  await em.persist(event).flush();
  return event;
}
