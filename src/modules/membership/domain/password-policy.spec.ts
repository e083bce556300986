import { WeakPasswordError } from './membership.errors';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  assertStrongPassword,
  dummyPasswordHash,
  hashPassword,
  verifyPassword,
} from './password-policy';

const EMAIL = 'hanako.sato@example.jp';

function isAccepted(password: string, email?: string): boolean {
  try {
    assertStrongPassword(password, email);
    return true;
  } catch (error) {
    if (error instanceof WeakPasswordError) return false;
    throw error;
  }
}

describe('assertStrongPassword', () => {
  it.each([
    ['letters and digits', 'kizuna2024x'],
    ['letters and symbols', 'sakura-hana!'],
    ['digits and symbols', '2024-04-01#9'],
    ['exactly ten characters of two kinds', 'abcd-12345'],
    ['sixteen letters of one kind', 'sakuramochidango'],
    ['a long passphrase', 'correct horse battery staple'],
    ['Japanese characters with digits', 'さくらもち2024ねん'],
    ['the maximum length', `Ab1${'xyz9'.repeat(31)}a`],
  ])('accepts %s', (_label, password) => {
    expect(isAccepted(password)).toBe(true);
  });

  it.each([
    ['nine characters', 'abcd-1234'],
    ['an empty password', ''],
    ['letters only under sixteen characters', 'sakuramochida'],
    ['digits only under sixteen characters', '948372615094'],
    ['fewer than four different characters', 'abab1abab1ab'],
    ['a single repeated character, however long', 'a'.repeat(40)],
    ['a common password', 'password123'],
    ['a common password in capitals', 'PASSWORD1234'],
    ['another common password', 'Passw0rd12'],
    ['more than the maximum length', `Ab1${'xyz9'.repeat(32)}`],
  ])('rejects %s', (_label, password) => {
    expect(isAccepted(password)).toBe(false);
  });

  it('uses the documented length bounds', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
  });

  it('rejects a password containing the local part of the e-mail address, whatever the case', () => {
    expect(isAccepted('Hanako.Sato-2024', EMAIL)).toBe(false);
    expect(isAccepted('xx-hanako.sato-xx', 'Hanako.Sato@Example.jp')).toBe(false);
    expect(isAccepted('Hanako.Sato-2024')).toBe(true);
    expect(isAccepted('Hanako.Sato-2024', 'taro@example.jp')).toBe(true);
  });

  it('ignores a local part too short to matter', () => {
    expect(isAccepted('abc-secure-2024', 'abc@example.jp')).toBe(true);
    expect(isAccepted('abcd-secure-2024', 'abcd@example.jp')).toBe(false);
  });

  it('reports the weakness on the given field', () => {
    let thrown: unknown;
    try {
      assertStrongPassword('short', undefined, 'newPassword');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WeakPasswordError);
    expect(thrown).toMatchObject({ code: 'validation.weakPassword', field: 'newPassword', status: 400 });
  });

  it('reports on the password field by default', () => {
    expect(() => assertStrongPassword('short')).toThrow(expect.objectContaining({ field: 'password' }));
  });
});

describe('hashPassword and verifyPassword', () => {
  const password = 'kizuna-2024-さくら';
  let hashed: string;

  beforeAll(async () => {
    hashed = await hashPassword(password);
  });

  it('hashes with argon2id and the OWASP baseline parameters', () => {
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hashed).not.toContain(password);
  });

  it('salts every hash', async () => {
    expect(await hashPassword(password)).not.toBe(hashed);
  });

  it('accepts the right password', async () => {
    await expect(verifyPassword(hashed, password)).resolves.toBe(true);
  });

  it('rejects a wrong password', async () => {
    await expect(verifyPassword(hashed, 'kizuna-2024-さくらX')).resolves.toBe(false);
    await expect(verifyPassword(hashed, '')).resolves.toBe(false);
  });

  it('rejects every password when there is no usable hash', async () => {
    await expect(verifyPassword(undefined, password)).resolves.toBe(false);
    await expect(verifyPassword(null, password)).resolves.toBe(false);
    await expect(verifyPassword('', password)).resolves.toBe(false);
    await expect(verifyPassword('not-an-argon2-hash', password)).resolves.toBe(false);
  });

  it('keeps one dummy hash that matches no ordinary password', async () => {
    const dummy = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(dummy).toMatch(/^\$argon2id\$/);
    await expect(verifyPassword(dummy, password)).resolves.toBe(false);
  });
});
