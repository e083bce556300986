import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { InvitationInvalidError } from './membership.errors';
import { normalizeEmail } from './email';
import { newSecretToken } from './secret-token';
import type { ApprovedStatus } from './member.entity';

export const INVITATION_LIFETIME_DAYS = 14;

/** An operator invites someone by e-mail; the link works once, for 14 days. */
@Entity({ schema: 'membership', tableName: 'invitation' })
@Index({ properties: ['createdAt'] })
export class Invitation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'text' })
  tokenHash: string;

  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text' })
  status: ApprovedStatus;

  @Property({ type: 'text', nullable: true })
  message?: string;

  @Property({ type: 'uuid' })
  invitedBy: string;

  @Property({ type: 'datetime' })
  expiresAt: Date;

  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  acceptedMemberId?: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  private constructor(email: string, status: ApprovedStatus, invitedBy: string, tokenHash: string, expiresAt: Date) {
    this.email = normalizeEmail(email);
    this.status = status;
    this.invitedBy = invitedBy;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }

  static create(input: { email: string; status: ApprovedStatus; invitedBy: string; message?: string }, now = new Date()): { invitation: Invitation; token: string } {
    const { token, hash } = newSecretToken();
    const invitation = new Invitation(input.email, input.status, input.invitedBy, hash, new Date(now.getTime() + INVITATION_LIFETIME_DAYS * 24 * 3600_000));
    invitation.message = input.message;
    return { invitation, token };
  }

  get state(): 'open' | 'accepted' | 'expired' {
    if (this.acceptedAt) return 'accepted';
    return this.expiresAt <= new Date() ? 'expired' : 'open';
  }

  assertUsable(now = new Date()): void {
    if (this.acceptedAt) throw new InvitationInvalidError('used');
    if (this.expiresAt <= now) throw new InvitationInvalidError('expired');
  }

  accept(memberId: string, now = new Date()): void {
    this.assertUsable(now);
    this.acceptedAt = now;
    this.acceptedMemberId = memberId;
  }
}
