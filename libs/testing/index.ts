import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';

/** A signed-in person for policy tests. */
export function testViewer(status: MemberStatus, role: MemberRole = 'member', memberId = `viewer-${status}-${role}`): Viewer {
  return { memberId, status, role, displayName: `${status} ${role}`, locale: 'ja', sessionVersion: 1 };
}

/** The error a call throws (fails the test when it does not throw). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
