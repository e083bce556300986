import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessPolicy } from '@libs/security/access-policy';
import { ForbiddenError } from '@libs/ddd';
import { RegisterForEventCommand, type RegistrationResult } from '../../contracts';
import { EventNotFoundError } from '../../domain/events.errors';
import { isUuid } from '@libs/ddd/ids';
import { placeFromOutcome } from '../../domain/registration-rules';
import { registerInOneStatement } from './registration-statement';

/**
 * Registration under the event row's lock: every registration for one event waits for the one before it, so the
 * counters on the row are exact, and `seq` (taken under the lock) is the order in which they got it. The lock is taken,
 * the rules applied and everything written by one statement (registration-statement.ts), so a burst for one event
 * queues only on PostgreSQL's own work for each registration, not on round trips to this process.
 */
@CommandHandler(RegisterForEventCommand)
export class RegisterForEventHandler implements ICommandHandler<RegisterForEventCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, eventId, companions }: RegisterForEventCommand): Promise<RegistrationResult> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    if (!isUuid(eventId)) throw new EventNotFoundError();
    return placeFromOutcome(await registerInOneStatement(this.em, viewer, eventId, companions));
  }
}
