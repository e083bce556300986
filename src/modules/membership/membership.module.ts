import { CountWaitingApplicationsHandler, GetProfileCompletenessHandler, ListRecentMembersNearHandler } from './application/home/home.handlers';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ImagesModule } from '@libs/images/images.module';
import { VIEWER_LOADER } from '@libs/security/viewer-loader';
import { AcceptInvitationHandler, GetInvitationPreviewHandler } from './application/accept-invitation/accept-invitation.handler';
import { ApplyForMembershipHandler } from './application/apply-for-membership/apply-for-membership.handler';
import { AuthenticateHandler } from './application/authenticate/authenticate.handler';
import { BootstrapAdministratorHandler } from './application/bootstrap-administrator/bootstrap-administrator.handler';
import {
  ChangeLanguageHandler,
  ChangePasswordHandler,
  ConfirmEmailChangeHandler,
  EndAllSessionsHandler,
  RequestEmailChangeHandler,
} from './application/change-credentials/change-credentials.handler';
import { GetDirectoryFacetsHandler, RebuildSearchIndexHandler, SearchDirectoryHandler } from './application/directory/search-directory.handler';
import { DecideApplicationHandler } from './application/decide-application/decide-application.handler';
import { InviteMemberHandler } from './application/invite-member/invite-member.handler';
import {
  ChangeMemberRoleHandler,
  ChangeMemberStatusHandler,
  ReinstateMemberHandler,
  SuspendMemberHandler,
} from './application/manage-member/manage-member.handler';
import { MembershipMailer } from './application/membership-mailer';
import {
  GetAccountHandler,
  GetMemberContactHandler,
  GetMemberProfileHandler,
  GetProfileForEditHandler,
  GetProfilePhotoHandler,
} from './application/queries/account.queries';
import {
  CountMembersByStatusHandler,
  GetApplicationHandler,
  GetMemberForAdminHandler,
  ListApplicationsHandler,
  ListInvitationsHandler,
  ListMembersHandler,
} from './application/queries/admin.queries';
import { CheckPasswordResetLinkHandler, RequestPasswordResetHandler, ResetPasswordHandler } from './application/reset-password/reset-password.handler';
import {
  SetProfilePhotoHandler,
  UpdateBasicInfoHandler,
  UpdateCareerHandler,
  UpdatePrivacyHandler,
  UpdateSkillsAndInterestsHandler,
} from './application/update-profile/update-profile.handler';
import { ReencodeLegacyPhotosHandler } from './application/update-profile/reencode-legacy-photos.handler';
import { ResendVerificationHandler, VerifyEmailHandler } from './application/verify-email/verify-email.handler';
import { ChangeTimeZoneHandler } from './application/time-zone/change-time-zone.handler';
import { MembershipViewerLoader } from './application/viewer-loader.service';
import { DIRECTORY_EXPORT_HANDLERS } from './application/directory-export';
import { PERSONAL_DATA_HANDLERS } from './application/personal-data';
import { ROSTER_IMPORT_HANDLERS } from './application/roster-import';
import { SeedDemoCommunityHandler } from './demo/seed-demo-community.handler';
import { UpdateListingOnConsentChangedHandler } from './application/community-listing/update-listing-on-consent-changed.handler';
import { AccountToken } from './domain/account-token.entity';
import { Invitation } from './domain/invitation.entity';
import { Member } from './domain/member.entity';
import { Profile } from './domain/profile.entity';
import { RosterEntry } from './domain/roster-entry.entity';
import { RosterImport } from './domain/roster-import.entity';
import { LegacyPhotoFiles } from './infrastructure/legacy-photo-files';

export const MEMBERSHIP_ENTITIES = [Member, Profile, AccountToken, Invitation, RosterImport, RosterEntry];

const handlers = [
  ApplyForMembershipHandler,
  VerifyEmailHandler,
  ResendVerificationHandler,
  DecideApplicationHandler,
  InviteMemberHandler,
  AcceptInvitationHandler,
  GetInvitationPreviewHandler,
  AuthenticateHandler,
  RequestPasswordResetHandler,
  ResetPasswordHandler,
  CheckPasswordResetLinkHandler,
  ChangePasswordHandler,
  RequestEmailChangeHandler,
  ConfirmEmailChangeHandler,
  EndAllSessionsHandler,
  ChangeLanguageHandler,
  ChangeTimeZoneHandler,
  UpdateBasicInfoHandler,
  UpdateCareerHandler,
  UpdateSkillsAndInterestsHandler,
  UpdatePrivacyHandler,
  SetProfilePhotoHandler,
  ReencodeLegacyPhotosHandler,
  ChangeMemberStatusHandler,
  ChangeMemberRoleHandler,
  SuspendMemberHandler,
  ReinstateMemberHandler,
  GetAccountHandler,
  GetMemberProfileHandler,
  GetProfileForEditHandler,
  GetProfilePhotoHandler,
  GetMemberContactHandler,
  ListApplicationsHandler,
  GetApplicationHandler,
  ListMembersHandler,
  GetMemberForAdminHandler,
  ListInvitationsHandler,
  CountMembersByStatusHandler,
  SeedDemoCommunityHandler,
  BootstrapAdministratorHandler,
  SearchDirectoryHandler,
  GetDirectoryFacetsHandler,
  RebuildSearchIndexHandler,
  GetProfileCompletenessHandler,
  ListRecentMembersNearHandler,
  CountWaitingApplicationsHandler,
  ...ROSTER_IMPORT_HANDLERS,
  ...PERSONAL_DATA_HANDLERS,
  ...DIRECTORY_EXPORT_HANDLERS,
  UpdateListingOnConsentChangedHandler,
];

/** Accounts, applications, invitations and profiles. Other modules use it through ./contracts only. */
@Module({
  imports: [CqrsModule, MikroOrmModule.forFeature(MEMBERSHIP_ENTITIES), ImagesModule],
  providers: [...handlers, MembershipMailer, LegacyPhotoFiles, MembershipViewerLoader, { provide: VIEWER_LOADER, useExisting: MembershipViewerLoader }],
  exports: [VIEWER_LOADER],
})
export class MembershipModule {}
