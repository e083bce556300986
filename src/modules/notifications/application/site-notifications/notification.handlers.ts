import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  CountUnreadNotificationsQuery,
  GetHomeNotificationsQuery,
  HOME_NOTIFICATIONS_LIMIT,
  ListNotificationsQuery,
  MarkNotificationsReadByLinkCommand,
  MarkNotificationsReadCommand,
  NOTIFICATIONS_PAGE_SIZE,
  type HomeNotificationsView,
  type NotificationPage,
  type NotificationView,
} from '../../contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  id: string;
  kind: string;
  params: Record<string, string | number> | string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

@QueryHandler(CountUnreadNotificationsQuery)
export class CountUnreadNotificationsHandler implements IQueryHandler<CountUnreadNotificationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer }: CountUnreadNotificationsQuery): Promise<number> {
    // Served by the partial index notification_unread_idx (member_id, created_at) where read_at is null.
    const [row] = await this.em.fork().execute<{ n: string }[]>(
      'select count(*) as n from notifications.notification where member_id = ? and read_at is null',
      [viewer.memberId],
    );
    return Number(row?.n ?? 0);
  }
}

const toView = (r: Row): NotificationView => ({
  id: r.id,
  kind: r.kind,
  params: typeof r.params === 'string' ? (JSON.parse(r.params) as Record<string, string | number>) : (r.params ?? {}),
  link: r.link,
  createdAt: new Date(r.created_at),
  read: r.read_at !== null,
});

@QueryHandler(GetHomeNotificationsQuery)
export class GetHomeNotificationsHandler implements IQueryHandler<GetHomeNotificationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, unread }: GetHomeNotificationsQuery): Promise<HomeNotificationsView> {
    // A count the page already has is not taken again, and none unread needs no list.
    const known = Number.isInteger(unread) && unread! >= 0 ? unread! : undefined;
    if (known === 0) return { items: [], unread: 0 };
    // Both read the partial index notification_unread_idx (member_id, created_at) where read_at is null.
    const [rows, count] = await Promise.all([
      this.em.fork().execute<Row[]>(
        `select id, kind, params, link, created_at, read_at from notifications.notification
          where member_id = ? and read_at is null order by created_at desc limit ?`,
        [viewer.memberId, HOME_NOTIFICATIONS_LIMIT],
      ),
      known ??
        this.em
          .fork()
          .execute<{ n: string }[]>('select count(*) as n from notifications.notification where member_id = ? and read_at is null', [viewer.memberId])
          .then(([row]) => Number(row?.n ?? 0)),
    ]);
    // The list is newer than the count when a notice arrived in between: the count is never below what is listed.
    return { items: rows.map(toView), unread: Math.max(count, rows.length) };
  }
}

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, page }: ListNotificationsQuery): Promise<NotificationPage> {
    const [counts] = await this.em.fork().execute<{ total: string; unread: string }[]>(
      `select count(*) as total, count(*) filter (where read_at is null) as unread
         from notifications.notification where member_id = ?`,
      [viewer.memberId],
    );
    const total = Number(counts?.total ?? 0);
    const pages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
    const rows = await this.em.fork().execute<Row[]>(
      `select id, kind, params, link, created_at, read_at from notifications.notification
        where member_id = ? order by created_at desc, id desc limit ? offset ?`,
      [viewer.memberId, NOTIFICATIONS_PAGE_SIZE, (current - 1) * NOTIFICATIONS_PAGE_SIZE],
    );
    return {
      items: rows.map(toView),
      total,
      unread: Number(counts?.unread ?? 0),
      page: current,
      pages,
    };
  }
}

/** At most this many paths in one call (a thread page's posts). */
const MAX_LINK_PATHS = 100;

@CommandHandler(MarkNotificationsReadByLinkCommand)
export class MarkNotificationsReadByLinkHandler implements ICommandHandler<MarkNotificationsReadByLinkCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, paths }: MarkNotificationsReadByLinkCommand): Promise<{ marked: number }> {
    const wanted = [...new Set(paths.filter((p) => typeof p === 'string' && p.startsWith('/') && p.length <= 300))].slice(0, MAX_LINK_PATHS);
    if (wanted.length === 0 || !viewer?.memberId) return { marked: 0 };
    // The member's unread rows only (a partial index); the link without its query and fragment (chr(63) is "?",
    // which the driver would take for a parameter).
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `update notifications.notification set read_at = now()
        where member_id = ? and read_at is null and split_part(split_part(link, '#', 1), chr(63), 1) in (?)
        returning id`,
      [viewer.memberId, wanted],
    );
    return { marked: rows.length };
  }
}

@CommandHandler(MarkNotificationsReadCommand)
export class MarkNotificationsReadHandler implements ICommandHandler<MarkNotificationsReadCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, ids }: MarkNotificationsReadCommand): Promise<{ marked: number }> {
    if (ids === 'all') {
      const rows = await this.em.fork().execute<{ id: string }[]>(
        'update notifications.notification set read_at = now() where member_id = ? and read_at is null returning id',
        [viewer.memberId],
      );
      return { marked: rows.length };
    }
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return { marked: 0 };
    const rows = await this.em.fork().execute<{ id: string }[]>(
      'update notifications.notification set read_at = now() where member_id = ? and id in (?) and read_at is null returning id',
      [viewer.memberId, valid],
    );
    return { marked: rows.length };
  }
}
