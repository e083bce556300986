import { AccessPolicy, type Viewer } from '@libs/security/access-policy';

/** Profile field groups whose visibility each member chooses. */
export const PRIVACY_GROUPS = ['contact', 'birthDate', 'career', 'currentEmployer'] as const;
export type PrivacyGroup = (typeof PRIVACY_GROUPS)[number];

/** members: every member · employees: current employees and operators · operators: operators only · private: self and admins. */
export const PRIVACY_LEVELS = ['members', 'employees', 'operators', 'private'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

export type PrivacySettings = Record<PrivacyGroup, PrivacyLevel>;

export const DEFAULT_PRIVACY: PrivacySettings = {
  contact: 'operators',
  birthDate: 'private',
  career: 'members',
  currentEmployer: 'members',
};

export function canSeeGroup(viewer: Viewer | null, ownerId: string, settings: PrivacySettings, group: PrivacyGroup): boolean {
  return AccessPolicy.canSee(viewer, settings[group] ?? DEFAULT_PRIVACY[group], ownerId);
}
