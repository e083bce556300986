import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '@libs/ddd';
import { normalizeForSearch, queryWords } from '@libs/search/japanese-text';
import { GetMemberNamesQuery } from '@modules/membership/contracts';
import {
  GetEventForEditQuery,
  ListAttendeesQuery,
  ListEventsForOperatorsQuery,
  OPERATOR_EVENT_TABS,
  type AttendeeListView,
  type AttendeeView,
  type EventEditView,
  type OperatorEventPage,
  type OperatorEventSummaryView,
  type OperatorEventTab,
} from '../../contracts';
import { Event } from '../../domain/event.entity';
import { attendanceRate, utcToLocalDateTime } from '../../domain/event-schedule';
import { requireOperator } from './event-admin.handlers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const OPERATOR_PAGE_SIZE = 20;

const TAB_WHERE: Record<OperatorEventTab, string> = {
  upcoming: `e.state = 'published' and e.ends_at >= now()`,
  drafts: `e.state = 'draft'`,
  past: `e.state = 'published' and e.ends_at < now()`,
  cancelled: `e.state = 'cancelled'`,
};
const TAB_ORDER: Record<OperatorEventTab, string> = {
  upcoming: 'e.starts_at asc, e.id',
  drafts: 'e.starts_at asc, e.id',
  past: 'e.starts_at desc, e.id',
  cancelled: 'e.cancelled_at desc, e.id',
};

interface SummaryRow {
  id: string;
  title: string;
  category: OperatorEventSummaryView['category'];
  format: OperatorEventSummaryView['format'];
  state: OperatorEventSummaryView['state'];
  visibility: OperatorEventSummaryView['visibility'];
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  capacity: number | null;
  confirmed_seats: number;
  published_at: Date | null;
  cancelled_at: Date | null;
  confirmed: string | number;
  waitlisted: string | number;
  checked_in: string | number;
}

const SUMMARY_SELECT = `
  select e.id, e.title, e.category, e.format, e.state, e.visibility, e.starts_at, e.ends_at, e.time_zone, e.capacity,
         e.confirmed_seats, e.published_at, e.cancelled_at,
         coalesce(r.confirmed, 0) as confirmed, coalesce(r.waitlisted, 0) as waitlisted, coalesce(r.checked_in, 0) as checked_in
    from events.event e
    left join lateral (
      select count(*) filter (where state = 'confirmed') as confirmed,
             count(*) filter (where state = 'waitlisted') as waitlisted,
             count(*) filter (where state = 'confirmed' and checked_in_at is not null) as checked_in
        from events.registration where event_id = e.id
    ) r on true`;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

function toSummary(row: SummaryRow, now: Date): OperatorEventSummaryView {
  const startsAt = asDate(row.starts_at)!;
  const confirmed = Number(row.confirmed);
  const checkedIn = Number(row.checked_in);
  return {
    eventId: row.id,
    title: row.title,
    category: row.category,
    format: row.format,
    state: row.state,
    visibility: row.visibility,
    startsAt,
    endsAt: asDate(row.ends_at)!,
    timeZone: row.time_zone,
    capacity: row.capacity,
    confirmedSeats: row.confirmed_seats,
    confirmed,
    waitlisted: Number(row.waitlisted),
    checkedIn,
    attendanceRate: row.state !== 'draft' && startsAt.getTime() <= now.getTime() ? attendanceRate(checkedIn, confirmed) : null,
    publishedAt: asDate(row.published_at),
    cancelledAt: asDate(row.cancelled_at),
  };
}

export async function eventSummary(em: EntityManager, eventId: string): Promise<OperatorEventSummaryView> {
  if (!UUID.test(eventId)) throw new NotFoundError();
  const [row] = await em.execute<SummaryRow[]>(`${SUMMARY_SELECT} where e.id = ?`, [eventId]);
  if (!row) throw new NotFoundError();
  return toSummary(row, new Date());
}

@QueryHandler(ListEventsForOperatorsQuery)
export class ListEventsForOperatorsHandler implements IQueryHandler<ListEventsForOperatorsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, tab, page }: ListEventsForOperatorsQuery): Promise<OperatorEventPage> {
    requireOperator(actor);
    const which: OperatorEventTab = OPERATOR_EVENT_TABS.includes(tab) ? tab : 'upcoming';
    const [countRow] = await this.em.execute<Record<OperatorEventTab, string>[]>(
      `select ${OPERATOR_EVENT_TABS.map((t) => `count(*) filter (where ${TAB_WHERE[t]}) as ${t}`).join(', ')} from events.event e`,
    );
    const counts = Object.fromEntries(OPERATOR_EVENT_TABS.map((t) => [t, Number(countRow?.[t] ?? 0)])) as Record<OperatorEventTab, number>;
    const total = counts[which];
    const pages = Math.max(1, Math.ceil(total / OPERATOR_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
    const rows = await this.em.execute<SummaryRow[]>(
      `${SUMMARY_SELECT} where ${TAB_WHERE[which]} order by ${TAB_ORDER[which]} limit ? offset ?`,
      [OPERATOR_PAGE_SIZE, (current - 1) * OPERATOR_PAGE_SIZE],
    );
    const now = new Date();
    return { tab: which, items: rows.map((r) => toSummary(r, now)), counts, page: current, pages, total };
  }
}

@QueryHandler(GetEventForEditQuery)
export class GetEventForEditHandler implements IQueryHandler<GetEventForEditQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, eventId }: GetEventForEditQuery): Promise<EventEditView> {
    requireOperator(actor);
    if (!UUID.test(eventId)) throw new NotFoundError();
    const e = await this.em.findOne(Event, { id: eventId });
    if (!e) throw new NotFoundError();
    const local = (d: Date | null | undefined) => (d ? utcToLocalDateTime(d, e.timeZone) : '');
    return {
      eventId: e.id,
      state: e.state,
      values: {
        title: e.title,
        category: e.category,
        format: e.format,
        visibility: e.visibility,
        timeZone: e.timeZone,
        startsAt: local(e.startsAt),
        endsAt: local(e.endsAt),
        deadlineAt: local(e.deadlineAt),
        place: e.place ?? '',
        onlineUrl: e.onlineUrl ?? '',
        feeYen: e.feeYen,
        paymentNote: e.paymentNote ?? '',
        capacity: e.capacity ?? null,
        maxCompanions: e.maxCompanions,
        description: e.description,
        notes: e.notes ?? '',
        organiserName: e.organiserName,
      },
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      confirmedSeats: e.confirmedSeats,
      waitlistCount: e.waitlistCount,
      publishedAt: e.publishedAt ?? null,
      cancelledAt: e.cancelledAt ?? null,
      cancelReason: e.cancelReason ?? null,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

@QueryHandler(ListAttendeesQuery)
export class ListAttendeesHandler implements IQueryHandler<ListAttendeesQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  async execute({ actor, eventId, locale, q }: ListAttendeesQuery): Promise<AttendeeListView> {
    requireOperator(actor);
    const event = await eventSummary(this.em, eventId);
    const rows = await this.em.execute<{ id: string; member_id: string; state: 'confirmed' | 'waitlisted'; companions: number; registered_at: Date; checked_in_at: Date | null }[]>(
      `select id, member_id, state, companions, registered_at, checked_in_at
         from events.registration
        where event_id = ? and state in ('confirmed', 'waitlisted')
        order by case state when 'confirmed' then 0 else 1 end, seq`,
      [eventId],
    );
    const names = new Map((await this.queries.execute(new GetMemberNamesQuery(rows.map((r) => r.member_id), locale))).map((n) => [n.memberId, n]));
    // What a name search at the door matches: the name as written and its reading (with or without the space).
    const searchable = (memberId: string) => {
      const n = names.get(memberId);
      return n ? normalizeForSearch([n.displayName, n.displayNameKana, n.displayNameKana.replace(/\s+/g, '')].join(' | ')) : '';
    };
    let position = 0;
    let checkedInSeats = 0;
    const all: AttendeeView[] = rows.map((r) => {
      const checkedInAt = asDate(r.checked_in_at);
      if (r.state === 'confirmed' && checkedInAt) checkedInSeats += 1 + r.companions;
      return {
        registrationId: r.id,
        memberId: r.member_id,
        displayName: names.get(r.member_id)?.displayName ?? '',
        state: r.state,
        companions: r.companions,
        waitlistPosition: r.state === 'waitlisted' ? ++position : null,
        registeredAt: asDate(r.registered_at)!,
        checkedInAt,
      };
    });
    const words = queryWords(q);
    const attendees = words.length ? all.filter((a) => words.every((w) => searchable(a.memberId).includes(w))) : all;
    return { event, attendees, checkedInSeats };
  }
}
