import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import type { Viewer } from '@libs/security/access-policy';
import { AcceptInvitationCommand, GetInvitationPreviewQuery, MembershipEvents, type InvitationPreview } from '../../contracts';
import { Invitation } from '../../domain/invitation.entity';
import { Member } from '../../domain/member.entity';
import { EmailAlreadyRegisteredError, InvitationInvalidError } from '../../domain/membership.errors';
import { assertStrongPassword, hashPassword } from '../../domain/password-policy';
import { Profile } from '../../domain/profile.entity';
import { RosterEntry } from '../../domain/roster-entry.entity';
import { hashToken } from '../../domain/secret-token';
import { toViewer } from '../viewer';

async function findInvitation(em: EntityManager, token: string): Promise<Invitation> {
  const invitation = token.length <= 100 ? await em.findOne(Invitation, { tokenHash: hashToken(token) }) : null;
  if (!invitation) throw new InvitationInvalidError('unknown');
  return invitation;
}

@QueryHandler(GetInvitationPreviewQuery)
export class GetInvitationPreviewHandler implements IQueryHandler<GetInvitationPreviewQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token }: GetInvitationPreviewQuery): Promise<InvitationPreview> {
    const invitation = await findInvitation(this.em, token);
    invitation.assertUsable();
    const roster = await this.em.findOne(RosterEntry, { invitationId: invitation.id });
    return { email: invitation.email, status: invitation.status, message: invitation.message ?? null, ...(roster ? { names: roster.names } : {}) };
  }
}

/** The invited person chooses a password and tells their name; they are a member at once. */
@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ token, input, locale }: AcceptInvitationCommand): Promise<Viewer> {
    const invitation = await findInvitation(this.em, token);
    invitation.assertUsable();
    assertStrongPassword(input.password, invitation.email);
    if (await this.em.getRepository(Member).findByEmail(invitation.email)) throw new EmailAlreadyRegisteredError();
    const member = Member.fromInvitation({
      email: invitation.email,
      passwordHash: await hashPassword(input.password),
      status: invitation.status,
      invitedBy: invitation.invitedBy,
      locale,
    });
    // Invited by a roster import: linked to HR's record, whose department, dates and departure it takes.
    const roster = await this.em.findOne(RosterEntry, { invitationId: invitation.id });
    if (roster?.leftOn) member.changeStatus('alumni', roster.leftOn);
    roster?.linkMember(member.id);
    const profile = new Profile(member.id, { ...input, ...(roster?.profileBasics() ?? {}) });
    if (roster) profile.replaceCareer(roster.careerAtCompany());
    invitation.accept(member.id);
    member.recordLogin();
    this.em.persist([member, profile]);
    Outbox.publish(this.em, integrationEvent(MembershipEvents.memberJoined, { memberId: member.id, status: member.status }));
    try {
      await this.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) throw new InvitationInvalidError('used');
      throw e;
    }
    return toViewer(member, profile);
  }
}
