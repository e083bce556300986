import { dateTimeFormat } from './date-format';

/** Calendar arithmetic in an IANA time zone, with Intl only (no time-zone database of our own). */

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

let supported: Set<string> | undefined;

/** Whether the runtime knows the zone (its canonical list, plus UTC). */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone || zone.length > 64) return false;
  supported ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return supported.has(zone);
}

/** The zone's offset from UTC at the instant, in minutes (Tokyo: +540). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const parts = dateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The instant at which the wall-clock time (y, m 1-12, d, h, min) happens in the zone. */
export function zonedInstant(zone: string, y: number, m: number, d = 1, h = 0, min = 0): Date {
  const guess = Date.UTC(y, m - 1, d, h, min);
  let instant = guess - zoneOffsetMinutes(new Date(guess), zone) * 60000;
  // Near a daylight-saving change the offset at the guess may differ from the offset at the answer.
  instant = guess - zoneOffsetMinutes(new Date(instant), zone) * 60000;
  return new Date(instant);
}

/** The month `YYYY-MM` in the zone as [from, to) instants; undefined for anything that is not such a month. */
export function zonedMonthRange(month: string, zone: string): { from: Date; to: Date } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const year = Number(m[1]);
  const mon = Number(m[2]);
  if (mon < 1 || mon > 12 || year < 1970 || year > 2200) return undefined;
  return { from: zonedInstant(zone, year, mon), to: mon === 12 ? zonedInstant(zone, year + 1, 1) : zonedInstant(zone, year, mon + 1) };
}

/** `YYYY-MM-DD` of the instant in the zone (the calendar date people there read). */
export function zonedDate(instant: Date, zone: string): string {
  const parts = dateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `YYYY-MM` of the instant in the zone. */
export function zonedMonth(instant: Date, zone: string): string {
  const parts = dateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' }).formatToParts(instant);
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
}

/** A zone's name for people, e.g. 日本標準時 / Japan Standard Time, with its IANA id when Intl has no better name. */
export function zoneLabel(zone: string, locale: 'ja' | 'en'): string {
  try {
    const name = dateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return name && name !== zone ? `${name} (${zone})` : zone;
  } catch {
    return zone;
  }
}
