import type { EntityManager } from '@mikro-orm/postgresql';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import type { ApprovedStatus } from '@modules/membership/domain/member.entity';

export interface InvitationSpec {
  email?: string;
  status?: ApprovedStatus;
  invitedBy: string;
  message?: string;
  /** When the link stops working; the domain's default lifetime when omitted. */
  expiresAt?: Date;
}

export interface BuiltInvitation {
  invitation: Invitation;
  /** The secret of the link, as it would appear in the invitation mail. */
  token: string;
}

let counter = 0;

/** Builds an open invitation through the domain and saves it (no mail is queued). */
export async function buildInvitation(em: EntityManager, spec: InvitationSpec): Promise<BuiltInvitation> {
  counter += 1;
  const { invitation, token } = Invitation.create({
    email: spec.email ?? `invitee-${counter}@example.jp`,
    status: spec.status ?? 'alumni',
    invitedBy: spec.invitedBy,
    message: spec.message,
  });
  if (spec.expiresAt) invitation.expiresAt = spec.expiresAt;
  await em.persist(invitation).flush();
  return { invitation, token };
}
