import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { BootstrapAdministratorCommand, MembershipEvents } from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { Member } from '../../domain/member.entity';
import { InvalidStatusChangeError } from '../../domain/membership.errors';
import { Profile } from '../../domain/profile.entity';
import { MembershipMailer } from '../membership-mailer';

@CommandHandler(BootstrapAdministratorCommand)
export class BootstrapAdministratorHandler implements ICommandHandler<BootstrapAdministratorCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ email, name }: BootstrapAdministratorCommand) {
    const existing = await this.em.getRepository(Member).findByEmail(email);
    let member: Member;
    if (existing) {
      if (!existing.isApprovedMember) throw new InvalidStatusChangeError();
      existing.role = 'admin';
      member = existing;
    } else {
      member = Member.seeded({ email, status: 'employee', role: 'admin', via: 'invitation' });
      this.em.persist([member, new Profile(member.id, name)]);
      Outbox.publish(this.em, integrationEvent(MembershipEvents.memberJoined, { memberId: member.id, status: member.status }));
    }
    const { entity: token, token: secret } = AccountToken.issue(member.id, 'reset-password');
    this.em.persist(token);
    await this.em.flush();
    return { memberId: member.id, setPasswordUrl: this.mailer.link(`/password-reset/${secret}`), created: !existing };
  }
}
