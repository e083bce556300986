import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessPolicy } from '@libs/security/access-policy';
import { GetEventQuery, NEW_BADGE_DAYS, type EventDetailView, type MyRegistrationView } from '../../contracts';
import { Event } from '../../domain/event.entity';
import { canSeeEvent } from '../../domain/event-visibility';
import { EventNotFoundError } from '../../domain/events.errors';
import { isUuid } from '@libs/ddd/ids';
import { renderMarkdown } from '@libs/markdown/markdown';
import { Registration } from '../../domain/registration.entity';
import { isRegistrationOpen } from '../../domain/registration-rules';

/** 1-based place on the waitlist: those waiting who arrived earlier, plus one. */
export async function waitlistPosition(em: EntityManager, registration: Registration): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from events.registration where event_id = ? and state = 'waitlisted' and seq < ?`,
    [registration.eventId, registration.seq],
  );
  return Number(row.n) + 1;
}

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, eventId }: GetEventQuery): Promise<EventDetailView> {
    if (!isUuid(eventId)) throw new EventNotFoundError();
    const event = await this.em.findOne(Event, { id: eventId });
    if (!event || !canSeeEvent(viewer, event)) throw new EventNotFoundError();
    const registration = viewer ? await this.em.findOne(Registration, { eventId, memberId: viewer.memberId }) : null;
    let mine: MyRegistrationView | null = null;
    if (registration?.isActive) {
      mine = {
        registrationId: registration.id,
        state: registration.state,
        companions: registration.companions,
        position: registration.state === 'waitlisted' ? await waitlistPosition(this.em, registration) : null,
        registeredAt: registration.registeredAt,
      };
    }
    const now = new Date();
    const showsOnlineUrl = (mine?.state === 'confirmed' && event.state !== 'cancelled') || AccessPolicy.isOperator(viewer);
    return {
      id: event.id,
      title: event.title,
      category: event.category,
      format: event.format,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone: event.timeZone,
      place: event.place ?? null,
      onlineUrl: showsOnlineUrl ? (event.onlineUrl ?? null) : null,
      hasOnlineUrl: !!event.onlineUrl,
      feeYen: event.feeYen,
      paymentNote: event.paymentNote ?? null,
      capacity: event.capacity ?? null,
      seatsLeft: event.seatsLeft,
      waitlistCount: event.waitlistCount,
      closesAt: event.registrationClosesAt,
      deadlineAt: event.deadlineAt ?? null,
      registrationOpen: isRegistrationOpen(event, now),
      started: now >= event.startsAt,
      ended: now >= event.endsAt,
      descriptionHtml: renderMarkdown(event.description),
      notes: event.notes ?? null,
      organiserName: event.organiserName,
      visibility: event.visibility,
      maxCompanions: event.maxCompanions,
      state: event.state,
      cancelReason: event.cancelReason ?? null,
      isNew: event.state === 'published' && !!event.publishedAt && event.publishedAt.getTime() >= now.getTime() - NEW_BADGE_DAYS * 24 * 3600 * 1000,
      updatedAt: event.updatedAt,
      myRegistration: mine,
    };
  }
}
