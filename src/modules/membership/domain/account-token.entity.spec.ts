import { AccountToken, TOKEN_LIFETIME_MS, type TokenPurpose } from './account-token.entity';
import { LinkInvalidError } from './membership.errors';
import { hashToken } from './secret-token';

const MEMBER_ID = '00000000-0000-4000-8000-000000000002';
const NOW = new Date('2025-04-01T09:00:00Z');
const HOUR = 3600_000;
const PURPOSES: TokenPurpose[] = ['verify-email', 'reset-password', 'change-email'];

const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('AccountToken', () => {
  it.each([
    ['verify-email', 72 * HOUR],
    ['reset-password', HOUR],
    ['change-email', 24 * HOUR],
  ] as const)('a %s link lasts its own lifetime', (purpose, lifetime) => {
    expect(TOKEN_LIFETIME_MS[purpose]).toBe(lifetime);
    const { entity } = AccountToken.issue(MEMBER_ID, purpose, NOW);
    expect(entity.expiresAt).toEqual(at(lifetime));
    expect(() => entity.use(purpose, at(lifetime - 1))).not.toThrow();
    expect(entity.usedAt).toEqual(at(lifetime - 1));
  });

  it.each(PURPOSES)('a %s link no longer works once its lifetime is over', (purpose) => {
    const { entity } = AccountToken.issue(MEMBER_ID, purpose, NOW);
    expect(() => entity.use(purpose, at(TOKEN_LIFETIME_MS[purpose]))).toThrow(LinkInvalidError);
    expect(entity.usedAt).toBeUndefined();
  });

  it('stores the member, purpose, new address and only the hash of the token', () => {
    const { entity, token } = AccountToken.issue(MEMBER_ID, 'change-email', NOW, 'new@example.jp');
    expect(entity.memberId).toBe(MEMBER_ID);
    expect(entity.purpose).toBe('change-email');
    expect(entity.newEmail).toBe('new@example.jp');
    expect(entity.tokenHash).toBe(hashToken(token));
    expect(Object.values(entity)).not.toContain(token);
  });

  it('issues a different token every time', () => {
    const a = AccountToken.issue(MEMBER_ID, 'reset-password', NOW);
    const b = AccountToken.issue(MEMBER_ID, 'reset-password', NOW);
    expect(a.token).not.toBe(b.token);
    expect(a.entity.tokenHash).not.toBe(b.entity.tokenHash);
  });

  it('works only once', () => {
    const { entity } = AccountToken.issue(MEMBER_ID, 'verify-email', NOW);
    entity.use('verify-email', at(HOUR));
    expect(() => entity.use('verify-email', at(2 * HOUR))).toThrow(LinkInvalidError);
    expect(entity.usedAt).toEqual(at(HOUR));
  });

  it.each([
    ['verify-email', 'reset-password'],
    ['reset-password', 'change-email'],
    ['change-email', 'verify-email'],
  ] as const)('a %s link cannot be used to %s', (issuedFor, usedFor) => {
    const { entity } = AccountToken.issue(MEMBER_ID, issuedFor, NOW);
    expect(() => entity.use(usedFor, at(1))).toThrow(LinkInvalidError);
    expect(entity.usedAt).toBeUndefined();
    expect(() => entity.use(issuedFor, at(1))).not.toThrow();
  });

  it('answers an unusable link with the link-invalid message', () => {
    const { entity } = AccountToken.issue(MEMBER_ID, 'reset-password', NOW);
    expect(() => entity.use('reset-password', at(2 * HOUR))).toThrow(expect.objectContaining({ code: 'membership.errors.linkInvalid', status: 400 }));
  });
});
