import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy } from '@libs/security/access-policy';
import { DecideApplicationCommand, MembershipEvents } from '../../contracts';
import { Member } from '../../domain/member.entity';

/** An operator approves (the applicant becomes a member) or declines with a reason; either way they are told. */
@CommandHandler(DecideApplicationCommand)
export class DecideApplicationHandler implements ICommandHandler<DecideApplicationCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId, decision, reason }: DecideApplicationCommand): Promise<void> {
    if (!AccessPolicy.isOperator(actor)) throw new ForbiddenError();
    const member = await this.em.getRepository(Member).get(memberId);
    if (decision === 'approve') member.approve(actor.memberId);
    else member.decline(actor.memberId, reason ?? '');
    Outbox.publish(this.em, integrationEvent(MembershipEvents.applicationDecided, { memberId, decision }));
    if (decision === 'approve') {
      Outbox.publish(this.em, integrationEvent(MembershipEvents.memberJoined, { memberId, status: member.status }));
    }
    await this.em.flush();
  }
}
