import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { MemberStatus } from '@libs/security/access-policy';

export const MembershipEvents = {
  applicationSubmitted: 'membership.application-submitted',
  applicationDecided: 'membership.application-decided',
  memberJoined: 'membership.member-joined',
  memberStatusChanged: 'membership.member-status-changed',
  memberSuspended: 'membership.member-suspended',
  profileUpdated: 'membership.profile-updated',
  memberDeleted: 'membership.member-deleted',
} as const;

export interface ApplicationSubmittedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.applicationSubmitted;
  memberId: string;
}

export interface ApplicationDecidedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.applicationDecided;
  memberId: string;
  decision: 'approve' | 'decline';
}

export interface MemberJoinedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.memberJoined;
  memberId: string;
  status: MemberStatus;
}

export interface MemberStatusChangedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.memberStatusChanged;
  memberId: string;
  from: MemberStatus;
  to: MemberStatus;
  departedOn: string | null;
}

export interface MemberSuspendedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.memberSuspended;
  memberId: string;
}

export interface ProfileUpdatedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.profileUpdated;
  memberId: string;
}

/** The member deleted their account: their personal data is erased; other modules erase theirs and show 退会したメンバー. */
export interface MemberDeletedEvent extends IntegrationEvent {
  type: typeof MembershipEvents.memberDeleted;
  memberId: string;
}
