import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@libs/security/access-policy';
import { AuthenticateCommand } from '../../contracts';
import { Member } from '../../domain/member.entity';
import { AccountSuspendedError, InvalidCredentialsError } from '../../domain/membership.errors';
import { dummyPasswordHash, verifyPassword } from '../../domain/password-policy';
import { Profile } from '../../domain/profile.entity';
import { toViewer } from '../viewer';

/** The same answer and about the same time for an unknown address and a wrong password. */
@CommandHandler(AuthenticateCommand)
export class AuthenticateHandler implements ICommandHandler<AuthenticateCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ email, password }: AuthenticateCommand): Promise<Viewer> {
    const member = await this.em.getRepository(Member).findByEmail(email);
    const ok = await verifyPassword(member?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!member || !ok) throw new InvalidCredentialsError();
    if (member.status === 'suspended') throw new AccountSuspendedError();
    member.recordLogin();
    await this.em.flush();
    return toViewer(member, await this.em.findOne(Profile, { memberId: member.id }));
  }
}
