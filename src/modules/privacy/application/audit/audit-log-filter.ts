import { DomainError } from '@libs/ddd';
import { isCalendarDay } from '@libs/calendar/calendar-day';
import { AUDIT_ACTIONS } from '../../contracts/views';
import type { AuditLogCursor, AuditLogFilter } from '../../contracts/audit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_AUDIT_TIME_ZONE = 'Asia/Tokyo';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A person named in a filter: their member id, or part of their name (spaces ignored, width folded on both sides: names are stored as typed). */
function personCondition(idColumn: string, nameColumn: string, value: string): { sql: string; params: unknown[] } | null {
  const text = value.normalize('NFKC').trim();
  if (!text) return null;
  if (UUID.test(text)) return { sql: `${idColumn} = ?`, params: [text.toLowerCase()] };
  return { sql: `replace(normalize(${nameColumn}, NFKC), ' ', '') ilike ?`, params: [likePattern(text.replace(/\s+/g, ''))] };
}

/**
 * The SQL conditions of the audit log's filters and cursor (column names of privacy.audit_event), or a DomainError
 * naming the field that cannot be used.
 */
export function auditLogConditions(filter: AuditLogFilter, cursor: AuditLogCursor = {}): { where: string[]; params: unknown[]; newerFirst: boolean } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.action !== undefined) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(filter.action)) throw new DomainError('validation.isIn', { field: 'action' });
    where.push('action = ?');
    params.push(filter.action);
  }
  for (const [field, id, name] of [['actor', 'actor_id', 'actor_name'], ['subject', 'subject_id', 'subject_name']] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    if (value.length > 100) throw new DomainError('validation.maxLength', { field, params: { max: 100 } });
    const c = personCondition(id, name, value);
    if (c) {
      where.push(c.sql);
      params.push(...c.params);
    }
  }
  const zone = filter.timeZone ?? DEFAULT_AUDIT_TIME_ZONE;
  if (!isTimeZone(zone)) throw new DomainError('validation.isIn', { field: 'timeZone' });
  if (filter.from !== undefined && !isCalendarDay(filter.from)) throw new DomainError('validation.isDateString', { field: 'from' });
  if (filter.to !== undefined && !isCalendarDay(filter.to)) throw new DomainError('validation.isDateString', { field: 'to' });
  if (filter.from && filter.to && filter.from > filter.to) throw new DomainError('validation.dateRange', { field: 'to' });
  if (filter.from) {
    where.push('occurred_at >= (?::date)::timestamp at time zone ?');
    params.push(filter.from, zone);
  }
  if (filter.to) {
    where.push('occurred_at < (?::date + 1)::timestamp at time zone ?');
    params.push(filter.to, zone);
  }
  if (cursor.before && cursor.after) throw new DomainError('validation.isUuid', { field: 'before' });
  const edge = cursor.before ?? cursor.after;
  if (edge !== undefined && !UUID.test(edge)) throw new DomainError('validation.isUuid', { field: cursor.before ? 'before' : 'after' });
  if (edge) {
    // Keyset: the events strictly older (or newer) than the cursor's event, in (occurred_at, id) order.
    where.push(`(occurred_at, id) ${cursor.after ? '>' : '<'} (select e.occurred_at, e.id from privacy.audit_event e where e.id = ?)`);
    params.push(edge.toLowerCase());
  }
  return { where, params, newerFirst: !cursor.after };
}
