const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day written `YYYY-MM-DD` that exists (2026-02-30 and 2026-13-45 are not one), as date fields and filters
 * take them. Anything else — another shape, a number, nothing — is not.
 */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DAY.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
