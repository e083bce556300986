/**
 * The one check every redirect target goes through: a path on this site, or `fallback`.
 *
 * Refused: anything not starting with exactly one `/` (absolute URLs, `//host`, `/\host`, `\/host`, schemes),
 * backslashes anywhere (browsers read them as `/`), whitespace and control characters anywhere (browsers drop
 * tabs and newlines, so `/\t/host` becomes `//host`), and the same once percent-decoded (`/%2F/host`, `/%5Chost`,
 * `/%09/host`), so that nothing decoding the path later can turn it into another site.
 */
export function safeRedirectPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!isSitePath(next)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  return isSitePath(decoded, UNSAFE_DECODED) ? next : fallback;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\s\\\u0000-\u001F\u007F-\u009F]/;
// Once decoded, an encoded space (%20) is an ordinary character of a path; tabs and newlines are still refused.
// eslint-disable-next-line no-control-regex
const UNSAFE_DECODED = /[\\\u0000-\u001F\u007F-\u009F]/;

function isSitePath(path: string, unsafe = UNSAFE): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !unsafe.test(path);
}
