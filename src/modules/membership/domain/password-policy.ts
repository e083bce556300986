import { hash, verify } from '@node-rs/argon2';
import { WeakPasswordError } from './membership.errors';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set(['password123', 'password1234', '1234567890', 'qwertyuiop', '1qaz2wsx3edc', 'iloveyou12', 'abcdefghij', 'passw0rd12']);

/** At least 10 characters from two kinds (letters, digits, symbols), or 16+ characters; not the e-mail itself. */
export function assertStrongPassword(password: string, email?: string, field = 'password'): void {
  const kinds = [/[a-zA-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  const weak =
    password.length < PASSWORD_MIN_LENGTH ||
    password.length > PASSWORD_MAX_LENGTH ||
    (kinds < 2 && password.length < 16) ||
    new Set(password).size < 4 ||
    COMMON.has(password.toLowerCase()) ||
    (!!email && password.toLowerCase().includes(email.split('@')[0].toLowerCase()) && email.split('@')[0].length >= 4);
  if (weak) throw new WeakPasswordError(field);
}

/** argon2id with the OWASP baseline (19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string | undefined | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so that timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('kizuna-dummy-password-for-timing');
  return dummyHash;
}
