import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType } from '@mikro-orm/core';
import type { MemberRole, MemberStatus } from '@libs/security/access-policy';
import {
  ApplicationNotPendingError,
  DepartureDateRequiredError,
  EmailNotVerifiedError,
  InvalidStatusChangeError,
  NotOnYourselfError,
} from './membership.errors';
import { MemberRepository } from './member.repository';
import { normalizeEmail } from './email';

export type ApplicationState = 'submitted' | 'approved' | 'declined';
export type JoinedVia = 'application' | 'invitation' | 'import' | 'seed';
export type ApprovedStatus = 'employee' | 'alumni';

/** The account: who someone is to the community (status, role) and how they sign in. */
@Entity({ schema: 'membership', tableName: 'member', repository: () => MemberRepository })
/** Keeps the copy of the status on the profile (the directory searches without a join). */
@Trigger({
  name: 'member_give_status_to_profile',
  timing: 'after',
  events: ['insert', 'update'],
  body: 'update membership.profile set member_status = new.status where member_id = new.id and member_status is distinct from new.status; return null',
})
@Index({ properties: ['status', 'createdAt'] })
@Index({ name: 'member_applications_idx', properties: ['applicationState', 'createdAt'], where: 'application_state is not null' })
export class Member {
  [EntityRepositoryType]?: MemberRepository;

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text', nullable: true, hidden: true, lazy: false })
  passwordHash?: string;

  @Property({ type: 'datetime', nullable: true })
  emailVerifiedAt?: Date;

  @Property({ type: 'text' })
  status: MemberStatus;

  @Property({ type: 'text', nullable: true })
  statusBeforeSuspension?: MemberStatus;

  @Property({ type: 'text' })
  role: MemberRole = 'member';

  @Property({ type: 'text', nullable: true })
  locale?: 'ja' | 'en';

  /** IANA time zone for showing times (events); null means the community's, Asia/Tokyo. */
  @Property({ type: 'text', nullable: true })
  timeZone?: string | null;

  /** Bumped to end every session at once (log out everywhere, suspension, password change). */
  @Property({ type: 'integer' })
  sessionVersion = 1;

  @Property({ type: 'text' })
  joinedVia: JoinedVia;

  @Property({ type: 'text', nullable: true })
  appliedAs?: ApprovedStatus;

  @Property({ type: 'text', nullable: true })
  applicationState?: ApplicationState;

  @Property({ type: 'text', nullable: true })
  applicationNote?: string;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  decidedBy?: string;

  @Property({ type: 'text', nullable: true })
  declineReason?: string;

  @Property({ type: 'date', nullable: true })
  departedOn?: string;

  @Property({ type: 'datetime', nullable: true })
  suspendedAt?: Date;

  @Property({ type: 'text', nullable: true })
  suspensionReason?: string;

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date;

  /** When the member deleted their account (personal data erased, status `deleted`). */
  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  private constructor(email: string, status: MemberStatus, joinedVia: JoinedVia) {
    this.email = normalizeEmail(email);
    this.status = status;
    this.joinedVia = joinedVia;
  }

  /** Someone applies to join; they wait as `pending` until an operator decides. */
  static apply(input: { email: string; passwordHash: string; appliedAs: ApprovedStatus; note?: string; locale?: 'ja' | 'en' }): Member {
    const member = new Member(input.email, 'pending', 'application');
    member.passwordHash = input.passwordHash;
    member.appliedAs = input.appliedAs;
    member.applicationState = 'submitted';
    member.applicationNote = input.note;
    member.locale = input.locale;
    return member;
  }

  /** An invited person accepts: the invitation itself was the approval, and its link proved the address. */
  static fromInvitation(input: { email: string; passwordHash: string; status: ApprovedStatus; invitedBy: string; locale?: 'ja' | 'en' }, now = new Date()): Member {
    const member = new Member(input.email, input.status, 'invitation');
    member.passwordHash = input.passwordHash;
    member.emailVerifiedAt = now;
    member.decidedAt = now;
    member.decidedBy = input.invitedBy;
    member.locale = input.locale;
    return member;
  }

  /** Demo data and roster imports. */
  static seeded(input: { email: string; passwordHash?: string; status: MemberStatus; role?: MemberRole; departedOn?: string; via?: JoinedVia }, now = new Date()): Member {
    const member = new Member(input.email, input.status, input.via ?? 'seed');
    member.passwordHash = input.passwordHash;
    member.role = input.role ?? 'member';
    member.emailVerifiedAt = now;
    member.departedOn = input.departedOn;
    return member;
  }

  get isApprovedMember(): boolean {
    return this.status === 'employee' || this.status === 'alumni';
  }

  verifyEmail(now = new Date()): void {
    this.emailVerifiedAt ??= now;
  }

  approve(operatorId: string, now = new Date()): void {
    if (this.status !== 'pending' || this.applicationState !== 'submitted' || !this.appliedAs) throw new ApplicationNotPendingError();
    if (!this.emailVerifiedAt) throw new EmailNotVerifiedError();
    this.status = this.appliedAs;
    this.applicationState = 'approved';
    this.decidedAt = now;
    this.decidedBy = operatorId;
  }

  decline(operatorId: string, reason: string, now = new Date()): void {
    if (this.status !== 'pending' || this.applicationState !== 'submitted') throw new ApplicationNotPendingError();
    this.applicationState = 'declined';
    this.declineReason = reason;
    this.decidedAt = now;
    this.decidedBy = operatorId;
  }

  /** HR moves a member between employee and alumnus; leaving needs the departure date. */
  changeStatus(to: ApprovedStatus, departedOn?: string): void {
    if (!this.isApprovedMember) throw new InvalidStatusChangeError();
    if (to === 'alumni') {
      if (!departedOn) throw new DepartureDateRequiredError();
      this.departedOn = departedOn;
    }
    this.status = to;
  }

  changeRole(role: MemberRole, actorId: string): void {
    if (actorId === this.id) throw new NotOnYourselfError();
    if (!this.isApprovedMember) throw new InvalidStatusChangeError();
    this.role = role;
  }

  suspend(actorId: string, reason: string | undefined, now = new Date()): void {
    if (actorId === this.id) throw new NotOnYourselfError();
    if (this.status === 'deleted') throw new InvalidStatusChangeError();
    if (this.status === 'suspended') return;
    this.statusBeforeSuspension = this.status;
    this.status = 'suspended';
    this.suspendedAt = now;
    this.suspensionReason = reason;
    this.endAllSessions();
  }

  reinstate(): void {
    if (this.status !== 'suspended') throw new InvalidStatusChangeError();
    this.status = this.statusBeforeSuspension ?? 'pending';
    this.statusBeforeSuspension = undefined;
    this.suspendedAt = undefined;
    this.suspensionReason = undefined;
  }

  setPassword(passwordHash: string): void {
    this.passwordHash = passwordHash;
    this.endAllSessions();
  }

  changeEmail(email: string, now = new Date()): void {
    this.email = normalizeEmail(email);
    this.emailVerifiedAt = now;
  }

  endAllSessions(): void {
    this.sessionVersion += 1;
  }

  recordLogin(now = new Date()): void {
    this.lastLoginAt = now;
  }

  get isDeleted(): boolean {
    return this.status === 'deleted';
  }

  /**
   * The member deletes their account: whatever identifies them is erased and the row keeps only its id, so that what
   * they wrote can still say 退会したメンバー. The address becomes a unique one that no mail can reach, the password is
   * gone (nobody can sign in again) and every session ends.
   */
  erase(now = new Date()): void {
    if (this.isDeleted) throw new InvalidStatusChangeError();
    this.email = deletedMemberEmail(this.id);
    this.passwordHash = undefined;
    this.emailVerifiedAt = undefined;
    this.status = 'deleted';
    this.statusBeforeSuspension = undefined;
    this.role = 'member';
    this.locale = undefined;
    // A pending application is withdrawn; a decided one stays as a fact without its free text.
    if (this.applicationState === 'submitted') this.applicationState = undefined;
    this.applicationNote = undefined;
    this.declineReason = undefined;
    this.departedOn = undefined;
    this.suspendedAt = undefined;
    this.suspensionReason = undefined;
    this.lastLoginAt = undefined;
    this.deletedAt = now;
    this.endAllSessions();
  }
}

/** The address a deleted account keeps: unique (the column is), and `.invalid` is a domain no mail is ever delivered to. */
export function deletedMemberEmail(memberId: string): string {
  return `deleted-${memberId}@deleted.invalid`;
}
