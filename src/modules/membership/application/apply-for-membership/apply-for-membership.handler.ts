import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { ApplyForMembershipCommand, MembershipEvents } from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { Member } from '../../domain/member.entity';
import { EmailAlreadyRegisteredError } from '../../domain/membership.errors';
import { assertStrongPassword, hashPassword } from '../../domain/password-policy';
import { Profile } from '../../domain/profile.entity';
import { MembershipMailer } from '../membership-mailer';

@CommandHandler(ApplyForMembershipCommand)
export class ApplyForMembershipHandler implements ICommandHandler<ApplyForMembershipCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ input, locale }: ApplyForMembershipCommand): Promise<{ memberId: string }> {
    assertStrongPassword(input.password, input.email);
    if (await this.em.getRepository(Member).findByEmail(input.email)) throw new EmailAlreadyRegisteredError();

    const member = Member.apply({
      email: input.email,
      passwordHash: await hashPassword(input.password),
      appliedAs: input.appliedAs,
      note: input.note,
      locale,
    });
    const profile = new Profile(member.id, {
      familyName: input.familyName,
      givenName: input.givenName,
      familyNameKana: input.familyNameKana,
      givenNameKana: input.givenNameKana,
      lastDepartment: input.lastDepartment,
      joinedYear: input.joinedYear,
      leftYear: input.appliedAs === 'alumni' ? input.leftYear : null,
    });
    const { entity: token, token: secret } = AccountToken.issue(member.id, 'verify-email');
    this.em.persist([member, profile, token]);
    await this.mailer.queue(this.em, `verify-email:${token.id}`, member.email, locale, 'verify-email', {
      name: profile.displayName,
      url: this.mailer.link(`/verify-email/${secret}`),
    });
    Outbox.publish(this.em, integrationEvent(MembershipEvents.applicationSubmitted, { memberId: member.id }));
    try {
      await this.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) throw new EmailAlreadyRegisteredError();
      throw e;
    }
    return { memberId: member.id };
  }
}
