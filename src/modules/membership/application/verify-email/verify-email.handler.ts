import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ResendVerificationCommand, VerifyEmailCommand } from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { Member } from '../../domain/member.entity';
import { LinkInvalidError } from '../../domain/membership.errors';
import { Profile } from '../../domain/profile.entity';
import { hashToken } from '../../domain/secret-token';
import { MembershipMailer } from '../membership-mailer';

@CommandHandler(VerifyEmailCommand)
export class VerifyEmailHandler implements ICommandHandler<VerifyEmailCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token }: VerifyEmailCommand): Promise<{ memberId: string }> {
    const record = await this.em.findOne(AccountToken, { tokenHash: hashToken(token) });
    if (!record) throw new LinkInvalidError();
    record.use('verify-email');
    const member = await this.em.getRepository(Member).get(record.memberId);
    member.verifyEmail();
    await this.em.flush();
    return { memberId: member.id };
  }
}

@CommandHandler(ResendVerificationCommand)
export class ResendVerificationHandler implements ICommandHandler<ResendVerificationCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ memberId }: ResendVerificationCommand): Promise<void> {
    const member = await this.em.getRepository(Member).get(memberId);
    if (member.emailVerifiedAt) return;
    const profile = await this.em.findOneOrFail(Profile, { memberId });
    const { entity: token, token: secret } = AccountToken.issue(member.id, 'verify-email');
    this.em.persist(token);
    await this.mailer.queue(this.em, `verify-email:${token.id}`, member.email, member.locale ?? 'ja', 'verify-email', {
      name: profile.displayName,
      url: this.mailer.link(`/verify-email/${secret}`),
    });
    await this.em.flush();
  }
}
