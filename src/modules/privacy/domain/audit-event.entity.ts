import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType } from '@mikro-orm/core';
import { DomainError } from '@libs/ddd';
import { AUDIT_ACTIONS, type AuditAction } from '../contracts/views';

/** Limits that keep one event small: the log is read page by page and must stay cheap to write. */
const MAX_FIELDS = 50;
const MAX_DETAIL_BYTES = 8 * 1024;
const MAX_TEXT = 200;

/** Who viewed or exported restricted personal data, and when. Append-only. */
@Entity({ schema: 'privacy', tableName: 'audit_event' })
@Index({ name: 'audit_event_time_idx', properties: ['occurredAt', 'id'] })
@Index({ name: 'audit_event_actor_idx', properties: ['actorId', 'occurredAt'] })
@Index({ name: 'audit_event_subject_idx', properties: ['subjectId', 'occurredAt'] })
@Index({ name: 'audit_event_action_idx', properties: ['action', 'occurredAt'] })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime' })
  occurredAt: Date = new Date();

  @Property({ type: 'uuid' })
  actorId: string;

  /** The actor's name when it happened (the log stays readable after renames and deletions). */
  @Property({ type: 'text' })
  actorName: string;

  @Property({ type: 'text' })
  action: AuditAction;

  /** The member whose data was seen; null for exports of many members. */
  @Property({ type: 'uuid', nullable: true })
  subjectId?: string;

  @Property({ type: 'text', nullable: true })
  subjectName?: string;

  /** Restricted fields involved, e.g. contactEmail, birthDate. */
  @Property({ type: new ArrayType() })
  fields: string[] = [];

  /** Extra facts: filters of an export, number of rows. */
  @Property({ type: 'json' })
  detail: Record<string, unknown> = {};

  @Property({ type: 'text', nullable: true })
  requestId?: string;

  constructor(input: { actorId: string; actorName: string; action: AuditAction; subjectId?: string; subjectName?: string; fields?: string[]; detail?: Record<string, unknown>; requestId?: string }) {
    this.actorId = input.actorId;
    this.actorName = input.actorName;
    this.action = input.action;
    this.subjectId = input.subjectId;
    this.subjectName = input.subjectName;
    this.fields = input.fields ?? [];
    this.detail = input.detail ?? {};
    this.requestId = input.requestId;
  }

  /** A new event, checked: a known action, a few distinct field names, a small JSON detail. */
  static record(input: ConstructorParameters<typeof AuditEvent>[0]): AuditEvent {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(input.action)) throw new DomainError('validation.isIn', { field: 'action' });
    const fields = [...new Set((input.fields ?? []).map((f) => String(f).trim()).filter(Boolean))];
    if (fields.length > MAX_FIELDS || fields.some((f) => f.length > MAX_TEXT)) throw new DomainError('validation.arrayMaxSize', { field: 'fields', params: { max: MAX_FIELDS } });
    const detail = input.detail ?? {};
    if (Buffer.byteLength(JSON.stringify(detail), 'utf8') > MAX_DETAIL_BYTES) throw new DomainError('validation.maxLength', { field: 'detail', params: { max: MAX_DETAIL_BYTES } });
    const clip = (s: string | undefined | null) => (s ? s.slice(0, MAX_TEXT) : undefined);
    return new AuditEvent({
      actorId: input.actorId,
      actorName: clip(input.actorName) ?? '',
      action: input.action,
      subjectId: input.subjectId ?? undefined,
      subjectName: clip(input.subjectName),
      fields,
      detail,
      requestId: clip(input.requestId),
    });
  }
}
