// The membership blocks on a member's home page: the profile prompt and members who joined recently near the viewer.
import { Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { ApprovedStatusView } from './views';

/** Parts of a profile the completeness prompt asks for; `currentWork` only of alumni. */
export const PROFILE_SECTIONS = ['photo', 'basics', 'career', 'currentWork', 'skills', 'interests', 'bio'] as const;
export type ProfileSection = (typeof PROFILE_SECTIONS)[number];

export interface ProfileCompletenessView {
  /** 0–100, rounded down so that 100 means nothing is missing. */
  percent: number;
  /** The sections still empty, in the order of the edit page. */
  missing: ProfileSection[];
  /** The sections that count for this member. */
  total: number;
}

/** How complete the viewer's own profile is, and what is missing. */
export class GetProfileCompletenessQuery extends Query<ProfileCompletenessView> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** Members who joined within this many days count as new. */
export const RECENT_MEMBER_DAYS = 90;
export const HOME_RECENT_MEMBERS_LIMIT = 6;

/** Why a recent member is shown: same last department, same year of leaving, same year of joining. */
export type RecentMemberReason = 'department' | 'leftYear' | 'joinedYear';

/** A recently joined member, with only what the viewer may see. */
export interface RecentMemberView {
  memberId: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  status: ApprovedStatusView;
  hasPhoto: boolean;
  /** The photo's image id (sizes at /members/:id/photo/:imageId/:size), when there is one. */
  photoId: string | null;
  lastDepartment: string | null;
  lastPosition: string | null;
  joinedYear: number | null;
  leftYear: number | null;
  /** Only when the member lets this viewer see their current employer. */
  currentCompany: string | null;
  joinedAt: Date;
  reason: RecentMemberReason;
}

export interface RecentMembersView {
  /** What the viewer's own profile says, which the matches are made on (null when unknown). */
  department: string | null;
  leftYear: number | null;
  joinedYear: number | null;
  items: RecentMemberView[];
}

/**
 * Members listed in the directory who joined in the last RECENT_MEMBER_DAYS days from the viewer's last department or
 * with the viewer's year of leaving or joining, newest first (never the viewer, never members not in the directory).
 */
export class ListRecentMembersNearQuery extends Query<RecentMembersView> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** How many applications wait for an operator's decision (the operators' to-do block; the applications index). */
export class CountWaitingApplicationsQuery extends Query<number> {
  constructor(readonly actor: Viewer) {
    super();
  }
}
