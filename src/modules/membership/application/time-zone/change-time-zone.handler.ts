import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@libs/ddd';
import { isValidTimeZone } from '@libs/calendar/zoned-time';
import { ChangeTimeZoneCommand } from '../../contracts';
import { Member } from '../../domain/member.entity';

@CommandHandler(ChangeTimeZoneCommand)
export class ChangeTimeZoneHandler implements ICommandHandler<ChangeTimeZoneCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, timeZone }: ChangeTimeZoneCommand): Promise<void> {
    if (!isValidTimeZone(timeZone)) throw new DomainError('membership.timeZone.invalid', { field: 'timeZone' });
    const member = await this.em.getRepository(Member).get(memberId);
    member.timeZone = timeZone;
    await this.em.flush();
  }
}
