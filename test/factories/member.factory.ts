import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { Member } from '@modules/membership/domain/member.entity';
import { hashPassword } from '@modules/membership/domain/password-policy';
import { Profile } from '@modules/membership/domain/profile.entity';
import type { PrivacySettings } from '@modules/membership/domain/privacy';

export const TEST_PASSWORD = 'correct-horse-42';
let passwordHash: Promise<string> | undefined;

export interface MemberSpec {
  status?: MemberStatus;
  role?: MemberRole;
  email?: string;
  familyName?: string;
  givenName?: string;
  familyNameKana?: string;
  givenNameKana?: string;
  privacy?: Partial<PrivacySettings>;
  profile?: (p: Profile) => void;
}

export interface BuiltMember {
  member: Member;
  profile: Profile;
  viewer: Viewer;
  email: string;
  password: string;
}

/** Builds an approved (or given-status) member with a profile through the domain, and saves it. */
export async function buildMember(em: EntityManager, spec: MemberSpec = {}): Promise<BuiltMember> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = spec.email ?? `m-${randomUUID().slice(0, 8)}@example.jp`;
  const status = spec.status ?? 'alumni';
  const member =
    status === 'pending'
      ? Member.apply({ email, passwordHash: await passwordHash, appliedAs: 'alumni' })
      : Member.seeded({ email, passwordHash: await passwordHash, status: status === 'suspended' ? 'alumni' : status, role: spec.role ?? 'member', via: 'import' });
  if (status === 'pending') member.verifyEmail();
  if (status === 'suspended') member.suspend(randomUUID(), 'test');
  if (spec.role && status === 'pending') member.role = spec.role;
  const profile = new Profile(member.id, {
    familyName: spec.familyName ?? '試験',
    givenName: spec.givenName ?? '太郎',
    familyNameKana: spec.familyNameKana ?? 'シケン',
    givenNameKana: spec.givenNameKana ?? 'タロウ',
    lastDepartment: '営業部',
  });
  if (spec.privacy) profile.updatePrivacy({ ...profile.privacy, ...spec.privacy });
  spec.profile?.(profile);
  await em.persist([member, profile]).flush();
  return {
    member,
    profile,
    email,
    password: TEST_PASSWORD,
    viewer: {
      memberId: member.id,
      status: member.status,
      role: member.role,
      displayName: profile.displayName,
      locale: null,
      sessionVersion: member.sessionVersion,
    },
  };
}
