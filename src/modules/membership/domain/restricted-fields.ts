import type { Viewer } from '@libs/security/access-policy';
import { canSeeGroup, type PrivacyGroup, type PrivacySettings } from './privacy';

/** Names of the restricted fields, as the audit log records them. */
export const RESTRICTED_FIELDS = ['contactEmail', 'contactPhone', 'birthDate', 'career', 'currentEmployer'] as const;
export type RestrictedField = (typeof RESTRICTED_FIELDS)[number];

export interface RestrictedValues {
  contactEmail: string | null;
  contactPhone: string | null;
  birthDate: string | null;
  careerEntries: number;
  currentCompany: string | null;
  currentIndustry: string | null;
  currentPosition: string | null;
}

const FIELDS_OF: Record<PrivacyGroup, (v: RestrictedValues) => RestrictedField[]> = {
  contact: (v) => [...(v.contactEmail ? (['contactEmail'] as const) : []), ...(v.contactPhone ? (['contactPhone'] as const) : [])],
  birthDate: (v) => (v.birthDate ? ['birthDate'] : []),
  career: (v) => (v.careerEntries > 0 ? ['career'] : []),
  currentEmployer: (v) => (v.currentCompany || v.currentIndustry || v.currentPosition ? ['currentEmployer'] : []),
};

/**
 * The fields of a profile that `viewer` is shown only because of their role: a group the owner limited to
 * operators (or kept private, for admins) that the same person without the operator/admin role could not see.
 * Empty values are not shown, so they are not listed; the owner never has restricted fields on their own profile.
 */
export function restrictedFieldsShown(viewer: Viewer, ownerId: string, settings: PrivacySettings, values: RestrictedValues): RestrictedField[] {
  if (viewer.memberId === ownerId || viewer.role === 'member') return [];
  const asMember: Viewer = { ...viewer, role: 'member' };
  return (Object.keys(FIELDS_OF) as PrivacyGroup[])
    .filter((group) => canSeeGroup(viewer, ownerId, settings, group) && !canSeeGroup(asMember, ownerId, settings, group))
    .flatMap((group) => FIELDS_OF[group](values));
}
