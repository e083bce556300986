import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { GetEventSummaryQuery, type EventSummaryView } from '../../contracts/reminders';
import { Event } from '../../domain/event.entity';

@QueryHandler(GetEventSummaryQuery)
export class GetEventSummaryHandler implements IQueryHandler<GetEventSummaryQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ communityEventId }: GetEventSummaryQuery): Promise<EventSummaryView | null> {
    if (!/^[0-9a-f-]{36}$/i.test(communityEventId)) return null;
    const event = await this.em.fork().findOne(Event, { id: communityEventId });
    if (!event) return null;
    return {
      id: event.id,
      title: event.title,
      state: event.state,
      format: event.format,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone: event.timeZone,
      place: event.place ?? null,
      cancelReason: event.cancelReason ?? null,
    };
  }
}
