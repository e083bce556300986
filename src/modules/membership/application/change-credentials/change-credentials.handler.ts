import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Viewer } from '@libs/security/access-policy';
import {
  ChangeLanguageCommand,
  ChangePasswordCommand,
  ConfirmEmailChangeCommand,
  EndAllSessionsCommand,
  RequestEmailChangeCommand,
} from '../../contracts';
import { AccountToken } from '../../domain/account-token.entity';
import { normalizeEmail } from '../../domain/email';
import { Member } from '../../domain/member.entity';
import { EmailAlreadyRegisteredError, LinkInvalidError, WrongPasswordError } from '../../domain/membership.errors';
import { assertStrongPassword, hashPassword, verifyPassword } from '../../domain/password-policy';
import { Profile } from '../../domain/profile.entity';
import { hashToken } from '../../domain/secret-token';
import { MembershipMailer } from '../membership-mailer';
import { toViewer } from '../viewer';

@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, currentPassword, newPassword }: ChangePasswordCommand): Promise<Viewer> {
    const member = await this.em.getRepository(Member).get(memberId);
    if (!(await verifyPassword(member.passwordHash, currentPassword))) throw new WrongPasswordError();
    assertStrongPassword(newPassword, member.email, 'newPassword');
    member.setPassword(await hashPassword(newPassword));
    await this.em.flush();
    return toViewer(member, await this.em.findOne(Profile, { memberId }));
  }
}

/** The new address is used only once its owner follows the link sent to it; the old address is told. */
@CommandHandler(RequestEmailChangeCommand)
export class RequestEmailChangeHandler implements ICommandHandler<RequestEmailChangeCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ memberId, currentPassword, newEmail }: RequestEmailChangeCommand): Promise<void> {
    const members = this.em.getRepository(Member);
    const member = await members.get(memberId);
    if (!(await verifyPassword(member.passwordHash, currentPassword))) throw new WrongPasswordError('password');
    const email = normalizeEmail(newEmail);
    if (email === member.email || (await members.findByEmail(email))) throw new EmailAlreadyRegisteredError('newEmail');
    const { entity: token, token: secret } = AccountToken.issue(member.id, 'change-email', new Date(), email);
    this.em.persist(token);
    const locale = member.locale ?? 'ja';
    await this.mailer.queue(this.em, `change-email:${token.id}`, email, locale, 'confirm-email-change', {
      url: this.mailer.link(`/account/email/${secret}`),
    });
    await this.mailer.queue(this.em, `change-email-notice:${token.id}`, member.email, locale, 'email-change-notice', { newEmail: email });
    await this.em.flush();
  }
}

@CommandHandler(ConfirmEmailChangeCommand)
export class ConfirmEmailChangeHandler implements ICommandHandler<ConfirmEmailChangeCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token }: ConfirmEmailChangeCommand): Promise<void> {
    const record = token.length <= 100 ? await this.em.findOne(AccountToken, { tokenHash: hashToken(token) }) : null;
    if (!record?.newEmail) throw new LinkInvalidError();
    record.use('change-email');
    const members = this.em.getRepository(Member);
    if (await members.findByEmail(record.newEmail)) throw new EmailAlreadyRegisteredError();
    const member = await members.get(record.memberId);
    member.changeEmail(record.newEmail);
    try {
      await this.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) throw new EmailAlreadyRegisteredError();
      throw e;
    }
  }
}

@CommandHandler(EndAllSessionsCommand)
export class EndAllSessionsHandler implements ICommandHandler<EndAllSessionsCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: EndAllSessionsCommand): Promise<void> {
    const member = await this.em.getRepository(Member).get(memberId);
    member.endAllSessions();
    await this.em.flush();
  }
}

@CommandHandler(ChangeLanguageCommand)
export class ChangeLanguageHandler implements ICommandHandler<ChangeLanguageCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, locale }: ChangeLanguageCommand): Promise<void> {
    const member = await this.em.getRepository(Member).get(memberId);
    member.locale = locale;
    await this.em.flush();
  }
}
