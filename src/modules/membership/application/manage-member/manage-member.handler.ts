import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  ChangeMemberRoleCommand,
  ChangeMemberStatusCommand,
  MembershipEvents,
  ReinstateMemberCommand,
  SuspendMemberCommand,
} from '../../contracts';
import { Member } from '../../domain/member.entity';
import { Profile } from '../../domain/profile.entity';
import { MembershipMailer } from '../membership-mailer';
import { recordDeparture } from './member-departure';

function requireAdmin(actor: Viewer): void {
  if (!AccessPolicy.isAdmin(actor)) throw new ForbiddenError();
}

/** HR moves a member between employee and alumnus. A leaver keeps everything and is asked for a personal address. */
@CommandHandler(ChangeMemberStatusCommand)
export class ChangeMemberStatusHandler implements ICommandHandler<ChangeMemberStatusCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
  ) {}

  async execute({ actor, memberId, status, departedOn }: ChangeMemberStatusCommand): Promise<{ leavingMail?: 'personal' | 'company' | 'none' }> {
    requireAdmin(actor);
    const member = await this.em.getRepository(Member).get(memberId);
    const from = member.status;
    if (from === status && status !== 'alumni') return {};
    if (status === 'alumni' && from === 'employee' && departedOn) {
      const recipient = await recordDeparture(this.em, this.mailer, member, await this.em.findOne(Profile, { memberId }), departedOn);
      await this.em.flush();
      return { leavingMail: recipient.via };
    }
    member.changeStatus(status, departedOn);
    if (from === status) {
      // Only the departure date is corrected: nothing changed for other modules.
      await this.em.flush();
      return {};
    }
    Outbox.publish(this.em, integrationEvent(MembershipEvents.memberStatusChanged, { memberId, from, to: status, departedOn: departedOn ?? null }));
    await this.em.flush();
    return {};
  }
}

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId, role }: ChangeMemberRoleCommand): Promise<void> {
    requireAdmin(actor);
    const member = await this.em.getRepository(Member).get(memberId);
    member.changeRole(role, actor.memberId);
    await this.em.flush();
  }
}

/** Suspension ends the member's sessions at once (their session version changes). */
@CommandHandler(SuspendMemberCommand)
export class SuspendMemberHandler implements ICommandHandler<SuspendMemberCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId, reason }: SuspendMemberCommand): Promise<void> {
    requireAdmin(actor);
    const member = await this.em.getRepository(Member).get(memberId);
    if (member.status === 'suspended') return;
    member.suspend(actor.memberId, reason);
    Outbox.publish(this.em, integrationEvent(MembershipEvents.memberSuspended, { memberId }));
    await this.em.flush();
  }
}

@CommandHandler(ReinstateMemberCommand)
export class ReinstateMemberHandler implements ICommandHandler<ReinstateMemberCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId }: ReinstateMemberCommand): Promise<void> {
    requireAdmin(actor);
    const member = await this.em.getRepository(Member).get(memberId);
    const from = member.status;
    member.reinstate();
    Outbox.publish(this.em, integrationEvent(MembershipEvents.memberStatusChanged, { memberId, from, to: member.status, departedOn: member.departedOn ?? null }));
    await this.em.flush();
  }
}
