/**
 * A path on this site to send the browser to after a form, or '/' when the value could lead elsewhere
 * (`//host`, `/\host`, schemes, control characters).
 */
export function safeRedirectPath(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : fallback;
}
