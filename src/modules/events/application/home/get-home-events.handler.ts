import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessPolicy } from '@libs/security/access-policy';
import { GetHomeEventsQuery, HOME_EVENTS_LIMIT, HOME_MY_EVENTS_LIMIT, type HomeEventView, type HomeEventsView } from '../../contracts';
import { visibleEventLevels } from '../../domain/event-visibility';

interface Row {
  id: string;
  title: string;
  category: HomeEventView['category'];
  format: HomeEventView['format'];
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  state: HomeEventView['state'];
  capacity: number | null;
  confirmed_seats: number;
  deadline_at: Date | null;
  my_state: HomeEventView['myState'];
  position: string | null;
}

const COLUMNS = `e.id, e.title, e.category, e.format, e.starts_at, e.ends_at, e.place, e.state, e.capacity, e.confirmed_seats,
  e.deadline_at, r.state as my_state,
  case when r.state = 'waitlisted' then (select count(*) + 1 from events.registration w
    where w.event_id = r.event_id and w.state = 'waitlisted' and w.seq < r.seq) end as position`;

/**
 * The home page's events: the next few events the viewer may see (walking the listing index from now) and the
 * viewer's own upcoming registrations (the registration's member index), with waitlist places.
 */
@QueryHandler(GetHomeEventsQuery)
export class GetHomeEventsHandler implements IQueryHandler<GetHomeEventsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer }: GetHomeEventsQuery): Promise<HomeEventsView> {
    const levels = visibleEventLevels(viewer);
    if (!AccessPolicy.isMember(viewer) || levels.length === 0) return { upcoming: [], mine: [] };
    const now = new Date();
    const [upcoming, mine] = await Promise.all([
      this.em.fork().execute<Row[]>(
        `select ${COLUMNS}
           from events.event e
           left join events.registration r on r.event_id = e.id and r.member_id = ? and r.state in ('confirmed', 'waitlisted')
          where e.state = 'published' and e.starts_at > ? and e.visibility in (?)
          order by e.starts_at, e.id
          limit ?`,
        [viewer.memberId, now, levels, HOME_EVENTS_LIMIT],
      ),
      this.em.fork().execute<Row[]>(
        `select ${COLUMNS}
           from events.registration r
           join events.event e on e.id = r.event_id
          where r.member_id = ? and r.state in ('confirmed', 'waitlisted')
            and e.ends_at > ? and e.state in ('published', 'cancelled') and e.visibility in (?)
          order by e.starts_at, e.id
          limit ?`,
        [viewer.memberId, now, levels, HOME_MY_EVENTS_LIMIT],
      ),
    ]);
    const view = (r: Row): HomeEventView => ({
      id: r.id,
      title: r.title,
      category: r.category,
      format: r.format,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      place: r.place,
      state: r.state,
      seatsLeft: r.capacity === null ? null : Math.max(0, r.capacity - r.confirmed_seats),
      registrationOpen: r.state === 'published' && now < new Date(r.deadline_at ?? r.starts_at),
      myState: r.my_state ?? null,
      waitlistPosition: r.position === null ? null : Number(r.position),
    });
    return { upcoming: upcoming.map(view), mine: mine.map(view) };
  }
}
