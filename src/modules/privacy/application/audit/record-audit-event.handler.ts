import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { RecordAuditEventCommand } from '../../contracts/audit';
import { AuditEvent } from '../../domain/audit-event.entity';

/**
 * Appends one event to the audit log: a single INSERT, outside the unit of work (nothing else the caller has
 * pending is flushed), inside the caller's transaction when it runs in one.
 */
@CommandHandler(RecordAuditEventCommand)
export class RecordAuditEventHandler implements ICommandHandler<RecordAuditEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, action, input }: RecordAuditEventCommand): Promise<{ auditEventId: string }> {
    const event = AuditEvent.record({
      actorId: actor.memberId,
      actorName: actor.displayName,
      action,
      subjectId: input.subject?.id,
      subjectName: input.subject?.name,
      fields: input.fields,
      detail: input.detail,
      requestId: input.requestId ?? undefined,
    });
    await this.em.insert(event);
    return { auditEventId: event.id };
  }
}
