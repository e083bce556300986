import { Command } from '@nestjs/cqrs';
import type { MemberRole, Viewer } from '@libs/security/access-policy';
import type { ApprovedStatusView, PrivacySettingsView } from './views';

type Lang = 'ja' | 'en';

export interface ApplicationInput {
  email: string;
  password: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  appliedAs: ApprovedStatusView;
  lastDepartment?: string;
  joinedYear?: number;
  leftYear?: number;
  note?: string;
}

/** Someone applies to join. Answers the new (pending) member's id. */
export class ApplyForMembershipCommand extends Command<{ memberId: string }> {
  constructor(readonly input: ApplicationInput, readonly locale: Lang) {
    super();
  }
}

export class VerifyEmailCommand extends Command<{ memberId: string }> {
  constructor(readonly token: string) {
    super();
  }
}

export class ResendVerificationCommand extends Command<void> {
  constructor(readonly memberId: string) {
    super();
  }
}

export class DecideApplicationCommand extends Command<void> {
  constructor(
    readonly actor: Viewer,
    readonly memberId: string,
    readonly decision: 'approve' | 'decline',
    readonly reason?: string,
  ) {
    super();
  }
}

export class InviteMemberCommand extends Command<{ invitationId: string }> {
  constructor(
    readonly actor: Viewer,
    readonly email: string,
    readonly status: ApprovedStatusView,
    readonly locale: Lang,
    readonly message?: string,
  ) {
    super();
  }
}

export interface InvitationAcceptance {
  password: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
}

/** Answers the viewer to sign in as. */
export class AcceptInvitationCommand extends Command<Viewer> {
  constructor(readonly token: string, readonly input: InvitationAcceptance, readonly locale: Lang) {
    super();
  }
}

/** Checks e-mail and password; answers the viewer to sign in as, or fails without saying which was wrong. */
export class AuthenticateCommand extends Command<Viewer> {
  constructor(readonly email: string, readonly password: string) {
    super();
  }
}

export class RequestPasswordResetCommand extends Command<void> {
  constructor(readonly email: string, readonly locale: Lang) {
    super();
  }
}

export class ResetPasswordCommand extends Command<void> {
  constructor(readonly token: string, readonly password: string) {
    super();
  }
}

/** Answers the viewer with its new session version: other sessions end, this one goes on. */
export class ChangePasswordCommand extends Command<Viewer> {
  constructor(readonly memberId: string, readonly currentPassword: string, readonly newPassword: string) {
    super();
  }
}

export class RequestEmailChangeCommand extends Command<void> {
  constructor(readonly memberId: string, readonly currentPassword: string, readonly newEmail: string) {
    super();
  }
}

export class ConfirmEmailChangeCommand extends Command<void> {
  constructor(readonly token: string) {
    super();
  }
}

export class EndAllSessionsCommand extends Command<void> {
  constructor(readonly memberId: string) {
    super();
  }
}

export class ChangeLanguageCommand extends Command<void> {
  constructor(readonly memberId: string, readonly locale: Lang) {
    super();
  }
}

export interface BasicInfoInput {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName?: string | null;
  birthDate?: string | null;
  lastDepartment?: string | null;
  lastPosition?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  location?: string | null;
  joinedYear?: number | null;
  leftYear?: number | null;
}

export class UpdateBasicInfoCommand extends Command<void> {
  constructor(readonly memberId: string, readonly input: BasicInfoInput) {
    super();
  }
}

export interface CareerInput {
  careerAtCompany: { department: string; position: string; from: string; to: string | null }[];
  currentCompany?: string | null;
  currentIndustry?: string | null;
  currentPosition?: string | null;
}

export class UpdateCareerCommand extends Command<void> {
  constructor(readonly memberId: string, readonly input: CareerInput) {
    super();
  }
}

export interface SkillsInput {
  skills: string[];
  qualifications: { name: string; year: number | null }[];
  interests: { business: string[]; hobby: string[]; volunteer: string[] };
  bio: string | null;
  openToComeback: boolean;
  openToOffers: boolean;
  openToSideWork: boolean;
}

export class UpdateSkillsAndInterestsCommand extends Command<void> {
  constructor(readonly memberId: string, readonly input: SkillsInput) {
    super();
  }
}

export class UpdatePrivacyCommand extends Command<void> {
  constructor(readonly memberId: string, readonly settings: PrivacySettingsView) {
    super();
  }
}

export class SetProfilePhotoCommand extends Command<void> {
  /** `bytes` null removes the photo. */
  constructor(readonly memberId: string, readonly bytes: Buffer | null) {
    super();
  }
}

/**
 * HR changes a member's status. For an employee who leaves, answers where the leaving mail went: their personal
 * address, the company address, or nowhere ('none': the date has passed and they have no personal address).
 */
export class ChangeMemberStatusCommand extends Command<{ leavingMail?: 'personal' | 'company' | 'none' }> {
  constructor(
    readonly actor: Viewer,
    readonly memberId: string,
    readonly status: ApprovedStatusView,
    readonly departedOn?: string,
  ) {
    super();
  }
}

export class ChangeMemberRoleCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly memberId: string, readonly role: MemberRole) {
    super();
  }
}

export class SuspendMemberCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly memberId: string, readonly reason?: string) {
    super();
  }
}

export class ReinstateMemberCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly memberId: string) {
    super();
  }
}

/** Creates the demo community on an empty database (does nothing otherwise). Answers how many members it created. */
export class SeedDemoCommunityCommand extends Command<{ created: number }> {
  constructor(readonly count = 200) {
    super();
  }
}

/**
 * Creates (or promotes) an HR admin from the command line, for a new installation. Answers a one-time link
 * where the admin chooses a password.
 */
export class BootstrapAdministratorCommand extends Command<{ memberId: string; setPasswordUrl: string; created: boolean }> {
  constructor(
    readonly email: string,
    readonly name: { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string },
  ) {
    super();
  }
}

/** Fills the directory search columns of profiles that have none yet (after an upgrade). Answers how many. */
export class RebuildSearchIndexCommand extends Command<{ updated: number }> {
  constructor(readonly onlyMissing = true) {
    super();
  }
}
