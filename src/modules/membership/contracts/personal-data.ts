// A member's own data: the complete export of what membership holds, and account deletion.
import { Command, Query } from '@nestjs/cqrs';
import type { MemberRole, MemberStatus } from '@libs/security/access-policy';
import type { ApprovedStatusView, PrivacySettingsView } from './views';

/** Everything Membership holds about one member, for their data download. Secrets (password hash, link tokens) are left out. */
export interface PersonalDataView {
  account: {
    memberId: string;
    email: string;
    emailVerifiedAt: string | null;
    status: MemberStatus;
    role: MemberRole;
    locale: 'ja' | 'en' | null;
    joinedVia: string;
    joinedAt: string;
    departedOn: string | null;
    lastLoginAt: string | null;
    suspendedAt: string | null;
    suspensionReason: string | null;
  };
  /** The application to join, when the member applied (invited and imported members have none). */
  application: {
    appliedAs: ApprovedStatusView | null;
    state: 'submitted' | 'approved' | 'declined';
    note: string | null;
    submittedAt: string;
    decidedAt: string | null;
    declineReason: string | null;
  } | null;
  profile: {
    familyName: string;
    givenName: string;
    familyNameKana: string;
    givenNameKana: string;
    romajiName: string | null;
    birthDate: string | null;
    lastDepartment: string | null;
    lastPosition: string | null;
    joinedYear: number | null;
    leftYear: number | null;
    contactEmail: string | null;
    contactPhone: string | null;
    location: string | null;
    careerAtCompany: { department: string; position: string; from: string; to: string | null }[];
    currentCompany: string | null;
    currentIndustry: string | null;
    currentPosition: string | null;
    skills: string[];
    qualifications: { name: string; year: number | null }[];
    interests: { business: string[]; hobby: string[]; volunteer: string[] };
    bio: string | null;
    openToComeback: boolean;
    openToOffers: boolean;
    openToSideWork: boolean;
    /** Who may see each group of fields. */
    privacy: PrivacySettingsView;
    /** The profile photo itself, base64-encoded; null when there is none. */
    photo: { contentType: string; base64: string } | null;
    updatedAt: string;
  } | null;
  /** Invitations sent to the member's address (or accepted by them); the link itself is never stored. */
  invitations: {
    email: string;
    status: ApprovedStatusView;
    message: string | null;
    state: 'open' | 'accepted' | 'expired';
    sentAt: string;
    expiresAt: string;
    acceptedAt: string | null;
  }[];
  /** What the company's HR roster import says about the member, when they are linked to a roster entry. */
  roster: {
    employeeNumber: string;
    email: string;
    familyName: string;
    givenName: string;
    familyNameKana: string | null;
    givenNameKana: string | null;
    department: string | null;
    position: string | null;
    hiredOn: string | null;
    leftOn: string | null;
  } | null;
}

/** For the member's data download: everything Membership holds about them. */
export class GetPersonalDataQuery extends Query<PersonalDataView> {
  constructor(readonly memberId: string) {
    super();
  }
}

/**
 * The member deletes their own account, confirming with their password. Personal data is erased, the account keeps
 * only its id (shown as 退会したメンバー wherever it appears), every session ends, and `membership.member-deleted` is
 * published. Refused for the community's last HR admin.
 */
export class DeleteAccountCommand extends Command<void> {
  constructor(readonly memberId: string, readonly password: string) {
    super();
  }
}

/** A member's name as other modules show it (authors, participants, senders). */
export interface MemberNameView {
  memberId: string;
  displayName: string;
  /** The reading in katakana (セイ メイ); empty for a deleted member. */
  displayNameKana: string;
  /** The account was deleted: `displayName` is 退会したメンバー / "Deleted member". */
  deleted: boolean;
  /** For deciding what the member may read (mentions, notices): their status and role now. */
  status: MemberStatus;
  role: MemberRole;
}

/** Names of the members asked for (any number), in that order; a deleted member is named in `locale`; unknown ids are left out. */
export class GetMemberNamesQuery extends Query<MemberNameView[]> {
  constructor(readonly memberIds: string[], readonly locale: 'ja' | 'en') {
    super();
  }
}

/**
 * Approved, listed members found by name (kanji, reading or romaji, folded as the directory folds it), for @mentions:
 * `contains` for an autocomplete, `exact` for a name typed whole without spaces (山田太郎, ヤマダタロウ). At most `limit`
 * (≤ 20), in reading order; `statuses` narrows to members of those statuses.
 */
export class FindMembersByNameQuery extends Query<MemberNameView[]> {
  constructor(
    readonly text: string,
    readonly mode: 'contains' | 'exact',
    readonly statuses: ('employee' | 'alumni')[] = ['employee', 'alumni'],
    readonly limit = 8,
  ) {
    super();
  }
}
