import type { MemberRole, MemberStatus } from '@libs/security/access-policy';

export type ApprovedStatusView = 'employee' | 'alumni';
export const PRIVACY_GROUP_NAMES = ['contact', 'birthDate', 'career', 'currentEmployer'] as const;
export const PRIVACY_LEVEL_NAMES = ['members', 'employees', 'operators', 'private'] as const;
export type PrivacyLevelView = (typeof PRIVACY_LEVEL_NAMES)[number];
export type PrivacySettingsView = Record<(typeof PRIVACY_GROUP_NAMES)[number], PrivacyLevelView>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

export interface AccountView {
  memberId: string;
  email: string;
  emailVerified: boolean;
  status: MemberStatus;
  role: MemberRole;
  locale: 'ja' | 'en' | null;
  /** IANA time zone the member reads times in; null for the community's (Asia/Tokyo). */
  timeZone: string | null;
  displayName: string;
  applicationState: 'submitted' | 'approved' | 'declined' | null;
  appliedAs: ApprovedStatusView | null;
  appliedAt: Date;
  declineReason: string | null;
}

/** A profile as one viewer may see it: groups hidden from that viewer are absent and listed in `hidden`. */
export interface MemberProfileView {
  memberId: string;
  status: MemberStatus;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName: string | null;
  hasPhoto: boolean;
  /** The photo's image id, for `profilePhotoPath`; null without a photo. */
  photoId: string | null;
  lastDepartment: string | null;
  lastPosition: string | null;
  joinedYear: number | null;
  leftYear: number | null;
  location: string | null;
  skills: string[];
  qualifications: { name: string; year: number | null }[];
  interests: { business: string[]; hobby: string[]; volunteer: string[] };
  bio: string | null;
  openToComeback: boolean;
  openToOffers: boolean;
  openToSideWork: boolean;
  contact?: { email: string | null; phone: string | null };
  birthDate?: string | null;
  career?: { department: string; position: string; from: string; to: string | null }[];
  currentEmployer?: { company: string | null; industry: string | null; position: string | null };
  hidden: string[];
  isSelf: boolean;
  /** Shown to other members; false after the member withdrew consent to the community (only they and staff see it). */
  listed: boolean;
  /**
   * Fields shown to this viewer only because they are an operator or admin (contactEmail, contactPhone, birthDate,
   * career, currentEmployer), non-empty ones only; what the audit log records. Empty for the member themselves.
   */
  restrictedFields: string[];
}

/** Everything the owner edits on their profile. */
export interface ProfileEditView {
  memberId: string;
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
  hasPhoto: boolean;
  photoId: string | null;
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
  privacy: PrivacySettingsView;
}

export interface ApplicationView {
  memberId: string;
  email: string;
  emailVerified: boolean;
  displayName: string;
  kana: string;
  appliedAs: ApprovedStatusView;
  lastDepartment: string | null;
  joinedYear: number | null;
  leftYear: number | null;
  note: string | null;
  appliedAt: Date;
  state: 'submitted' | 'approved' | 'declined';
  declineReason: string | null;
}

export interface MemberSummaryView {
  memberId: string;
  displayName: string;
  kana: string;
  email: string;
  status: MemberStatus;
  role: MemberRole;
  lastDepartment: string | null;
  departedOn: string | null;
  joinedAt: Date;
  lastLoginAt: Date | null;
  /** The member has a personal (contact) e-mail address on their profile, which still works once they have left. */
  hasPersonalAddress: boolean;
}

/**
 * A row of the staff member list. The sign-in address is shown to HR admins only (null for operators): operators
 * approve and invite without needing 30 addresses a page, and the one member they open is audit-logged.
 */
export interface MemberListItemView extends Omit<MemberSummaryView, 'email'> {
  email: string | null;
}

export interface AdminMemberView extends MemberSummaryView {
  emailVerified: boolean;
  joinedVia: string;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  statusBeforeSuspension: MemberStatus | null;
  applicationState: string | null;
  declineReason: string | null;
}

export interface InvitationView {
  invitationId: string;
  email: string;
  status: ApprovedStatusView;
  state: 'open' | 'accepted' | 'expired';
  createdAt: Date;
  expiresAt: Date;
  invitedByName: string | null;
}

export interface InvitationPreview {
  email: string;
  status: ApprovedStatusView;
  message: string | null;
  /** The names HR gave for this person (an invitation from a roster import), to prefill the form. */
  names?: { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string } | null;
}

export interface MemberContactView {
  memberId: string;
  email: string;
  locale: 'ja' | 'en' | null;
  displayName: string;
}

/** The photo a viewer may see on a member's profile: its image id in the image store (libs/images). */
export interface ProfilePhotoView {
  imageId: string;
}

/** The sizes of a profile photo pages may show: 64 and 160 px squares, 480 px and full (long side ≤ 2048 px). */
export const PROFILE_PHOTO_VARIANTS = ['64', '160', '480', 'full'] as const;
export type ProfilePhotoVariant = (typeof PROFILE_PHOTO_VARIANTS)[number];

/**
 * Where a profile photo is served (for other modules' pages: an author's avatar in the forum or chat). The URL changes
 * with every new photo, so browsers may keep it; the photo is shown to whoever may see the member's profile.
 */
export function profilePhotoPath(memberId: string, photoId: string, variant: ProfilePhotoVariant): string {
  return `/members/${memberId}/photo/${photoId}/${variant}`;
}

export const DIRECTORY_SORTS = ['relevance', 'name', 'recent'] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];
export const OPEN_TO_FLAGS = ['comeback', 'offers', 'sideWork'] as const;
export type OpenToFlag = (typeof OPEN_TO_FLAGS)[number];

export interface DirectoryFilter {
  q?: string;
  status?: ApprovedStatusView;
  department?: string;
  leftYear?: number;
  skill?: string;
  interest?: string;
  location?: string;
  openTo?: OpenToFlag[];
  sort?: DirectorySort;
}

/** One member in the directory, with only what the viewer may see. */
export interface DirectoryEntryView {
  memberId: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  romajiName: string | null;
  status: ApprovedStatusView;
  hasPhoto: boolean;
  photoId: string | null;
  lastDepartment: string | null;
  lastPosition: string | null;
  leftYear: number | null;
  location: string | null;
  skills: string[];
  currentCompany: string | null;
  openToComeback: boolean;
  openToOffers: boolean;
  openToSideWork: boolean;
}

export interface DirectoryFacets {
  departments: { name: string; count: number }[];
  skills: { name: string; count: number }[];
}
