import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { containsPattern, isExactToken, queryWords, wordTokens } from '@libs/search/japanese-text';
import { isValidTimeZone, zonedMonthRange } from '@libs/calendar/zoned-time';
import { EVENT_PAGE_SIZE, ListEventsQuery, NEW_BADGE_DAYS, type EventListItemView, type EventListPage } from '../../contracts';
import { visibleEventLevels } from '../../domain/event-visibility';

interface Row {
  id: string;
  title: string;
  category: EventListItemView['category'];
  format: EventListItemView['format'];
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  fee_yen: number;
  capacity: number | null;
  confirmed_seats: number;
  waitlist_count: number;
  deadline_at: Date | null;
  state: EventListItemView['state'];
  visibility: EventListItemView['visibility'];
  organiser_name: string;
  published_at: Date | null;
  my_state: EventListItemView['myState'];
  total: string;
}

export const MAX_EVENT_PAGES = 500;

/**
 * The event list: published and cancelled events the viewer may see. Upcoming (not yet ended) soonest first; past
 * newest first; "mine" the viewer's registrations. Keywords use the same Japanese-aware tokens as the directory: each
 * word's tokens through the GIN index, longer words checked against the normalised text.
 */
@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, filter, page, timeZone }: ListEventsQuery): Promise<EventListPage> {
    const pageNo = Number.isInteger(page) && page > 0 && page <= MAX_EVENT_PAGES ? page : 1;
    const now = new Date();
    const levels = visibleEventLevels(viewer);
    const tab = filter.tab ?? 'upcoming';
    const words = queryWords(filter.q);
    if (levels.length === 0 || (tab === 'mine' && !viewer)) return { items: [], total: 0, page: pageNo, pages: 1, pageSize: EVENT_PAGE_SIZE, words };

    const where: string[] = [`e.state in ('published', 'cancelled')`, 'e.visibility in (?)'];
    const params: unknown[] = [levels];
    if (tab === 'upcoming') {
      where.push('e.ends_at > ?');
      params.push(now);
    } else if (tab === 'past') {
      where.push('e.ends_at <= ?');
      params.push(now);
    } else {
      where.push(`r.state in ('confirmed', 'waitlisted')`);
    }
    if (filter.category) {
      where.push('e.category = ?');
      params.push(filter.category);
    }
    if (filter.format) {
      where.push('e.format = ?');
      params.push(filter.format);
    }
    const range = filter.month ? zonedMonthRange(filter.month, isValidTimeZone(timeZone) ? timeZone : 'Asia/Tokyo') : undefined;
    if (range) {
      where.push('e.starts_at >= ? and e.starts_at < ?');
      params.push(range.from, range.to);
    }
    for (const word of words) {
      const tokens = wordTokens(word);
      where.push(`e.search_tokens @> array[${tokens.map(() => '?').join(', ')}]::text[]`);
      params.push(...tokens);
      if (!isExactToken(word)) {
        where.push('e.search_text like ?');
        params.push(containsPattern(word));
      }
    }
    const order = tab === 'upcoming' ? 'e.starts_at asc, e.id' : tab === 'past' ? 'e.starts_at desc, e.id' : '(e.ends_at <= ?) asc, e.starts_at asc, e.id';
    const orderParams = tab === 'mine' ? [now] : [];
    const offset = (pageNo - 1) * EVENT_PAGE_SIZE;
    const rows = await this.em.execute<Row[]>(
      `select e.id, e.title, e.category, e.format, e.starts_at, e.ends_at, e.place, e.fee_yen, e.capacity, e.confirmed_seats,
          e.waitlist_count, e.deadline_at, e.state, e.visibility, e.organiser_name, e.published_at, r.state as my_state,
          count(*) over () as total
        from events.event e
        left join events.registration r on r.event_id = e.id and r.member_id = ? and r.state <> 'cancelled'
        where ${where.join(' and ')}
        order by ${order}
        limit ? offset ?`,
      [viewer?.memberId ?? '00000000-0000-0000-0000-000000000000', ...params, ...orderParams, EVENT_PAGE_SIZE, offset],
    );
    const total = rows.length ? Number(rows[0].total) : offset > 0 ? await this.count(where, params, viewer?.memberId) : 0;
    const newSince = now.getTime() - NEW_BADGE_DAYS * 24 * 3600 * 1000;
    return {
      items: rows.map((r) => {
        const capacity = r.capacity ?? null;
        const closesAt = r.deadline_at ?? r.starts_at;
        return {
          id: r.id,
          title: r.title,
          category: r.category,
          format: r.format,
          startsAt: new Date(r.starts_at),
          endsAt: new Date(r.ends_at),
          place: r.place,
          feeYen: r.fee_yen,
          capacity,
          seatsLeft: capacity === null ? null : Math.max(0, capacity - r.confirmed_seats),
          waitlistCount: r.waitlist_count,
          state: r.state,
          visibility: r.visibility,
          organiserName: r.organiser_name,
          isNew: r.state === 'published' && !!r.published_at && new Date(r.published_at).getTime() >= newSince,
          registrationOpen: r.state === 'published' && now < new Date(closesAt),
          myState: r.my_state ?? null,
        };
      }),
      total,
      page: pageNo,
      pages: Math.max(1, Math.ceil(total / EVENT_PAGE_SIZE)),
      pageSize: EVENT_PAGE_SIZE,
      words,
    };
  }

  /** A page past the end still tells how many there are. */
  private async count(where: string[], params: unknown[], memberId?: string): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>(
      `select count(*) as n from events.event e
        left join events.registration r on r.event_id = e.id and r.member_id = ? and r.state <> 'cancelled'
        where ${where.join(' and ')}`,
      [memberId ?? '00000000-0000-0000-0000-000000000000', ...params],
    );
    return Number(row.n);
  }
}
