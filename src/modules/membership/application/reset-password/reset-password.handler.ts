import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { CheckPasswordResetLinkQuery, RequestPasswordResetCommand, ResetPasswordCommand } from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { Member } from '../../domain/member.entity';
import { LinkInvalidError } from '../../domain/membership.errors';
import { assertStrongPassword, hashPassword } from '../../domain/password-policy';
import { hashToken } from '../../domain/secret-token';
import { MembershipMailer } from '../membership-mailer';

/** Always looks the same from outside: a mail goes out only when the address belongs to an active account. */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ email, locale }: RequestPasswordResetCommand): Promise<void> {
    const member = await this.em.getRepository(Member).findByEmail(email);
    if (!member || member.status === 'suspended' || member.status === 'deleted') return;
    const { entity: token, token: secret } = AccountToken.issue(member.id, 'reset-password');
    this.em.persist(token);
    await this.mailer.queue(this.em, `reset-password:${token.id}`, member.email, member.locale ?? locale, 'reset-password', {
      url: this.mailer.link(`/password-reset/${secret}`),
      minutes: 60,
    });
    await this.em.flush();
  }
}

@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token, password }: ResetPasswordCommand): Promise<void> {
    const record = token.length <= 100 ? await this.em.findOne(AccountToken, { tokenHash: hashToken(token) }) : null;
    if (!record) throw new LinkInvalidError();
    const member = await this.em.getRepository(Member).get(record.memberId);
    assertStrongPassword(password, member.email);
    record.use('reset-password');
    member.setPassword(await hashPassword(password));
    member.verifyEmail();
    await this.em.flush();
  }
}

@QueryHandler(CheckPasswordResetLinkQuery)
export class CheckPasswordResetLinkHandler implements IQueryHandler<CheckPasswordResetLinkQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token }: CheckPasswordResetLinkQuery): Promise<boolean> {
    const record = token.length <= 100 ? await this.em.findOne(AccountToken, { tokenHash: hashToken(token) }) : null;
    return !!record && record.purpose === 'reset-password' && !record.usedAt && record.expiresAt > new Date();
  }
}
