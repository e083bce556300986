/** `deleted`: the member erased their account; the row stays so their posts can say 退会したメンバー. */
export const MEMBER_STATUSES = ['pending', 'employee', 'alumni', 'suspended', 'deleted'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const MEMBER_ROLES = ['member', 'operator', 'admin'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Who may see a thing: used by every module for content, events, boards and profile field groups. */
export const VISIBILITIES = ['public', 'members', 'alumni', 'employees', 'operators', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** The signed-in person as every module sees them. */
export interface Viewer {
  memberId: string;
  status: MemberStatus;
  role: MemberRole;
  displayName: string;
  locale: 'ja' | 'en' | null;
  /** IANA time zone the member reads times in; null for the community's (Asia/Tokyo). */
  timeZone?: string | null;
  sessionVersion: number;
  /** The image id of their profile photo (approved members only), for the avatar in the header. */
  photoId?: string | null;
}

/** Route requirements, from the most open to the most closed. */
export const ACCESS_LEVELS = ['public', 'signed-in', 'member', 'operator', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const AccessPolicy = {
  isSignedIn(viewer: Viewer | null | undefined): boolean {
    return !!viewer && viewer.status !== 'suspended' && viewer.status !== 'deleted';
  },
  /** Approved current employees and alumni. */
  isMember(viewer: Viewer | null | undefined): boolean {
    return !!viewer && (viewer.status === 'employee' || viewer.status === 'alumni');
  },
  isOperator(viewer: Viewer | null | undefined): boolean {
    return AccessPolicy.isMember(viewer) && (viewer?.role === 'operator' || viewer?.role === 'admin');
  },
  isAdmin(viewer: Viewer | null | undefined): boolean {
    return AccessPolicy.isMember(viewer) && viewer?.role === 'admin';
  },

  meets(viewer: Viewer | null | undefined, level: AccessLevel): boolean {
    switch (level) {
      case 'public':
        return true;
      case 'signed-in':
        return AccessPolicy.isSignedIn(viewer);
      case 'member':
        return AccessPolicy.isMember(viewer);
      case 'operator':
        return AccessPolicy.isOperator(viewer);
      case 'admin':
        return AccessPolicy.isAdmin(viewer);
    }
  },

  /** Whether `viewer` may see something with `visibility` owned by `ownerId` (owners always see their own). */
  canSee(viewer: Viewer | null | undefined, visibility: Visibility, ownerId?: string): boolean {
    if (viewer && ownerId && viewer.memberId === ownerId && AccessPolicy.isSignedIn(viewer)) return true;
    switch (visibility) {
      case 'public':
        return true;
      case 'members':
        return AccessPolicy.isMember(viewer);
      case 'alumni':
        return AccessPolicy.isOperator(viewer) || (AccessPolicy.isMember(viewer) && viewer?.status === 'alumni');
      case 'employees':
        return AccessPolicy.isOperator(viewer) || (AccessPolicy.isMember(viewer) && viewer?.status === 'employee');
      case 'operators':
        return AccessPolicy.isOperator(viewer);
      case 'private':
        return AccessPolicy.isAdmin(viewer);
    }
  },

  /** The visibility levels a viewer can see, for filtering in SQL (`visibility in (...)`). */
  visibleLevels(viewer: Viewer | null | undefined): Visibility[] {
    return VISIBILITIES.filter((v) => AccessPolicy.canSee(viewer, v));
  },
};
