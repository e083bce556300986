/** E-mail addresses are compared and stored trimmed, NFKC-folded (full-width to ASCII) and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
