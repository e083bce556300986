import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy } from '@libs/security/access-policy';
import { SearchAuditLogQuery, type AuditEventView, type AuditLogPage } from '../../contracts/audit';
import type { AuditAction } from '../../contracts/views';
import { auditLogConditions } from './audit-log-filter';

interface AuditEventRow {
  id: string;
  occurred_at: Date;
  actor_id: string;
  actor_name: string;
  action: AuditAction;
  subject_id: string | null;
  subject_name: string | null;
  fields: string[];
  detail: Record<string, unknown> | string;
  request_id: string | null;
}

const toView = (r: AuditEventRow): AuditEventView => ({
  id: r.id,
  occurredAt: new Date(r.occurred_at),
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  subjectId: r.subject_id,
  subjectName: r.subject_name,
  fields: r.fields ?? [],
  detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : (r.detail ?? {}),
  requestId: r.request_id,
});

/**
 * The audit log for HR admins: newest first, filtered by action, actor, subject and days, paged by keyset on
 * (occurred_at, id) — each page is one index range scan however long the log grows.
 */
@QueryHandler(SearchAuditLogQuery)
export class SearchAuditLogHandler implements IQueryHandler<SearchAuditLogQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, filter, cursor, pageSize }: SearchAuditLogQuery): Promise<AuditLogPage> {
    if (!AccessPolicy.isAdmin(actor)) throw new ForbiddenError();
    const size = Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 500 ? pageSize : 50;
    const { where, params, newerFirst } = auditLogConditions(filter, cursor);
    const direction = newerFirst ? 'desc' : 'asc';
    const rows = await this.em.execute<AuditEventRow[]>(
      `select id, occurred_at, actor_id, actor_name, action, subject_id, subject_name, fields, detail, request_id
         from privacy.audit_event
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by occurred_at ${direction}, id ${direction}
        limit ?`,
      [...params, size + 1],
    );
    const more = rows.length > size;
    const page = rows.slice(0, size);
    if (!newerFirst) page.reverse();
    const items = page.map(toView);
    const first = items[0]?.id ?? null;
    const last = items.at(-1)?.id ?? null;
    if (newerFirst) {
      // Walking back in time: newer events exist when we started from a cursor.
      return { items, older: more ? last : null, newer: cursor.before ? first : null };
    }
    // Walking forward from `after`: the cursor's own event is older than this page.
    return { items, older: last ?? cursor.after ?? null, newer: more ? first : null };
  }
}
