import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { LinkInvalidError } from './membership.errors';
import { newSecretToken } from './secret-token';

export type TokenPurpose = 'verify-email' | 'reset-password' | 'change-email';

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  'verify-email': 72 * 3600_000,
  'reset-password': 3600_000,
  'change-email': 24 * 3600_000,
};

/** A single-use link sent by e-mail: verify an address, reset a password, confirm a new address. */
@Entity({ schema: 'membership', tableName: 'account_token' })
@Index({ properties: ['memberId', 'purpose'] })
export class AccountToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  purpose: TokenPurpose;

  @Unique()
  @Property({ type: 'text' })
  tokenHash: string;

  @Property({ type: 'text', nullable: true })
  newEmail?: string;

  @Property({ type: 'datetime' })
  expiresAt: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  private constructor(memberId: string, purpose: TokenPurpose, tokenHash: string, expiresAt: Date) {
    this.memberId = memberId;
    this.purpose = purpose;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }

  static issue(memberId: string, purpose: TokenPurpose, now = new Date(), newEmail?: string): { entity: AccountToken; token: string } {
    const { token, hash } = newSecretToken();
    const entity = new AccountToken(memberId, purpose, hash, new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]));
    entity.newEmail = newEmail;
    return { entity, token };
  }

  use(purpose: TokenPurpose, now = new Date()): void {
    if (this.purpose !== purpose || this.usedAt || this.expiresAt <= now) throw new LinkInvalidError();
    this.usedAt = now;
  }
}
