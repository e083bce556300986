import { hashToken, newSecretToken } from './secret-token';

describe('newSecretToken', () => {
  it('returns a random url-safe token of 32 bytes and its SHA-256 in hex', () => {
    const { token, hash } = newSecretToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
  });

  it('never repeats a token', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newSecretToken().token));
    expect(tokens.size).toBe(100);
  });

  it('hashes the same token the same way and different tokens differently', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('abc')).toBe(hashToken('abc'));
    expect(hashToken('abc')).not.toBe(hashToken('abd'));
  });
});
