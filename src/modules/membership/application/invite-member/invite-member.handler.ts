import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy } from '@libs/security/access-policy';
import { InviteMemberCommand } from '../../contracts';
import { Invitation, INVITATION_LIFETIME_DAYS } from '../../domain/invitation.entity';
import { Member } from '../../domain/member.entity';
import { EmailAlreadyRegisteredError } from '../../domain/membership.errors';
import { Profile } from '../../domain/profile.entity';
import { MembershipMailer } from '../membership-mailer';

@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ actor, email, status, locale, message }: InviteMemberCommand): Promise<{ invitationId: string }> {
    if (!AccessPolicy.isOperator(actor)) throw new ForbiddenError();
    if (await this.em.getRepository(Member).findByEmail(email)) throw new EmailAlreadyRegisteredError();
    const { invitation, token } = Invitation.create({ email, status, invitedBy: actor.memberId, message });
    const inviter = await this.em.findOne(Profile, { memberId: actor.memberId });
    this.em.persist(invitation);
    await this.mailer.queue(this.em, `invitation:${invitation.id}`, invitation.email, locale, 'invitation', {
      inviter: inviter?.displayName ?? '',
      message: message ?? '',
      days: INVITATION_LIFETIME_DAYS,
      url: this.mailer.link(`/invitations/${token}`),
    });
    await this.em.flush();
    return { invitationId: invitation.id };
  }
}
