import { Query } from '@nestjs/cqrs';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import type {
  AccountView,
  DirectoryEntryView,
  DirectoryFacets,
  DirectoryFilter,
  AdminMemberView,
  ApplicationView,
  InvitationPreview,
  InvitationView,
  MemberContactView,
  MemberProfileView,
  MemberListItemView,
  Page,
  ProfilePhotoView,
  ProfileEditView,
} from './views';

export class GetAccountQuery extends Query<AccountView> {
  constructor(readonly memberId: string) {
    super();
  }
}

/** A member's profile filtered for `viewer`; fails with not-found when the viewer may not see it at all. */
export class GetMemberProfileQuery extends Query<MemberProfileView> {
  constructor(readonly viewer: Viewer, readonly memberId: string) {
    super();
  }
}

export class GetProfileForEditQuery extends Query<ProfileEditView> {
  constructor(readonly memberId: string) {
    super();
  }
}

/** The member's photo if `viewer` may see their profile (else null, as for no photo). */
export class GetProfilePhotoQuery extends Query<ProfilePhotoView | null> {
  constructor(readonly viewer: Viewer, readonly memberId: string) {
    super();
  }
}

export class ListApplicationsQuery extends Query<Page<ApplicationView>> {
  constructor(readonly actor: Viewer, readonly state: 'submitted' | 'approved' | 'declined', readonly page = 1) {
    super();
  }
}

export class GetApplicationQuery extends Query<ApplicationView> {
  constructor(readonly actor: Viewer, readonly memberId: string) {
    super();
  }
}

export class ListMembersQuery extends Query<Page<MemberListItemView>> {
  constructor(
    readonly actor: Viewer,
    /** `contact: 'missing'`: members without a personal (contact) e-mail address. */
    readonly filter: { q?: string; status?: MemberStatus; role?: MemberRole; contact?: 'missing' },
    readonly page = 1,
  ) {
    super();
  }
}

export class GetMemberForAdminQuery extends Query<AdminMemberView> {
  constructor(readonly actor: Viewer, readonly memberId: string) {
    super();
  }
}

export class ListInvitationsQuery extends Query<Page<InvitationView>> {
  constructor(readonly actor: Viewer, readonly page = 1) {
    super();
  }
}

export class GetInvitationPreviewQuery extends Query<InvitationPreview> {
  constructor(readonly token: string) {
    super();
  }
}

/** For other modules that write to a member (mail, notifications). */
export class GetMemberContactQuery extends Query<MemberContactView | null> {
  constructor(readonly memberId: string) {
    super();
  }
}

export class CountMembersByStatusQuery extends Query<Record<MemberStatus, number> & { applications: number }> {
  constructor(readonly actor: Viewer) {
    super();
  }
}

/** Whether a password-reset link can still be used (the page says so before anyone types a new password). */
export class CheckPasswordResetLinkQuery extends Query<boolean> {
  constructor(readonly token: string) {
    super();
  }
}

/** The member directory: Japanese-aware keyword search and filters, limited to what the viewer may see. */
export class SearchDirectoryQuery extends Query<Page<DirectoryEntryView> & { words: string[]; approximate: boolean }> {
  constructor(readonly viewer: Viewer, readonly filter: DirectoryFilter, readonly page = 1) {
    super();
  }
}

/** Departments and the most common skills, for the directory's filter lists. */
export class GetDirectoryFacetsQuery extends Query<DirectoryFacets> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}
