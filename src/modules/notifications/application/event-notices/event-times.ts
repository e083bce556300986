import { dateTimeFormat } from '@libs/calendar';
import type { Locale } from '@libs/i18n';

export const COMMUNITY_TIME_ZONE = 'Asia/Tokyo';

/** A valid IANA zone, else the community's. */
export function readerTimeZone(zone: string | null | undefined): string {
  if (!zone) return COMMUNITY_TIME_ZONE;
  try {
    dateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return COMMUNITY_TIME_ZONE;
  }
}

const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'ja-JP');

/** A date and time in the reader's language and zone: 2026年12月5日(土) 19:00 / Sat 5 Dec 2026, 19:00. */
export function formatDateTime(value: Date, locale: Locale, timeZone: string): string {
  const zone = readerTimeZone(timeZone);
  const date = dateTimeFormat(intlLocale(locale), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: zone }).format(value);
  const time = dateTimeFormat(intlLocale(locale), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(value);
  return `${date} ${time}`;
}

/**
 * An event's start and end for a notice, in the reader's zone, with the zone named:
 * `2026年12月5日(土) 19:00〜21:00（Asia/Tokyo）`. An end on another day carries its date.
 */
export function formatEventTimes(startsAt: Date, endsAt: Date, locale: Locale, timeZone: string): string {
  const zone = readerTimeZone(timeZone);
  const dayOf = (d: Date) => dateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const end = dayOf(startsAt) === dayOf(endsAt)
    ? dateTimeFormat(intlLocale(locale), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(endsAt)
    : formatDateTime(endsAt, locale, zone);
  return locale === 'en'
    ? `${formatDateTime(startsAt, locale, zone)} – ${end} (${zone})`
    : `${formatDateTime(startsAt, locale, zone)}〜${end}（${zone}）`;
}
