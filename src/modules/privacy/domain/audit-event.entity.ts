import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ArrayType } from '@mikro-orm/core';
import type { AuditAction } from '../contracts/views';

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
}
