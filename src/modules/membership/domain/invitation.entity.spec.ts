import { createHash } from 'node:crypto';
import { INVITATION_LIFETIME_DAYS, Invitation } from './invitation.entity';
import { InvitationInvalidError } from './membership.errors';
import { hashToken } from './secret-token';

const OPERATOR_ID = '00000000-0000-4000-8000-000000000001';
const MEMBER_ID = '00000000-0000-4000-8000-000000000002';
const NOW = new Date('2025-04-01T09:00:00Z');
const DAY = 24 * 3600_000;

const invite = (now = NOW) => Invitation.create({ email: ' Jiro.Tanaka@Example.JP ', status: 'alumni', invitedBy: OPERATOR_ID, message: 'お久しぶりです' }, now);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvitationInvalidError);
    return (error as InvitationInvalidError).code;
  }
  return undefined;
}

describe('Invitation', () => {
  it('is addressed to the normalised e-mail with the status, inviter and message', () => {
    const { invitation } = invite();
    expect(invitation.email).toBe('jiro.tanaka@example.jp');
    expect(invitation.status).toBe('alumni');
    expect(invitation.invitedBy).toBe(OPERATOR_ID);
    expect(invitation.message).toBe('お久しぶりです');
    expect(invitation.acceptedAt).toBeUndefined();
  });

  it('stores only the SHA-256 of the link token', () => {
    const { invitation, token } = invite();
    expect(invitation.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(invitation.tokenHash).toBe(hashToken(token));
    expect(invitation.tokenHash).not.toContain(token);
    expect(Object.values(invitation)).not.toContain(token);
  });

  it('gives every invitation its own unguessable token', () => {
    const tokens = Array.from({ length: 20 }, () => invite().token);
    expect(new Set(tokens).size).toBe(20);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('works for 14 days', () => {
    expect(INVITATION_LIFETIME_DAYS).toBe(14);
    const { invitation } = invite();
    expect(invitation.expiresAt).toEqual(new Date(NOW.getTime() + 14 * DAY));
    expect(() => invitation.assertUsable(new Date(NOW.getTime() + 14 * DAY - 1))).not.toThrow();
  });

  it('expires at the end of its lifetime', () => {
    const { invitation } = invite();
    expect(codeOf(() => invitation.assertUsable(new Date(NOW.getTime() + 14 * DAY)))).toBe('membership.errors.invitation.expired');
    expect(codeOf(() => invitation.accept(MEMBER_ID, new Date(NOW.getTime() + 20 * DAY)))).toBe('membership.errors.invitation.expired');
    expect(invitation.acceptedAt).toBeUndefined();
  });

  it('can be accepted once, remembering by whom', () => {
    const { invitation } = invite();
    const when = new Date(NOW.getTime() + DAY);
    invitation.accept(MEMBER_ID, when);
    expect(invitation.acceptedAt).toEqual(when);
    expect(invitation.acceptedMemberId).toBe(MEMBER_ID);
    expect(codeOf(() => invitation.accept('someone-else', when))).toBe('membership.errors.invitation.used');
    expect(invitation.acceptedMemberId).toBe(MEMBER_ID);
  });

  it('reports a used invitation as used even after it would have expired', () => {
    const { invitation } = invite();
    invitation.accept(MEMBER_ID, NOW);
    expect(codeOf(() => invitation.assertUsable(new Date(NOW.getTime() + 30 * DAY)))).toBe('membership.errors.invitation.used');
  });

  it('shows as open, accepted or expired', () => {
    const open = invite(new Date()).invitation;
    expect(open.state).toBe('open');
    const old = invite(new Date(Date.now() - 15 * DAY)).invitation;
    expect(old.state).toBe('expired');
    const accepted = invite(new Date()).invitation;
    accepted.accept(MEMBER_ID);
    expect(accepted.state).toBe('accepted');
  });
});
