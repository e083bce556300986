import type { Viewer } from '@libs/security/access-policy';
import type { Member } from '../domain/member.entity';
import type { Profile } from '../domain/profile.entity';

export function toViewer(member: Member, profile: Profile | null): Viewer {
  return {
    memberId: member.id,
    status: member.status,
    role: member.role,
    displayName: profile?.displayName ?? member.email,
    locale: member.locale ?? null,
    timeZone: member.timeZone ?? null,
    sessionVersion: member.sessionVersion,
    photoId: member.isApprovedMember ? (profile?.photoId ?? null) : null,
  };
}
