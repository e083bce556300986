import { isValidTimeZone, zonedInstant, zoneOffsetMinutes } from '@libs/calendar/zoned-time';
import { DomainError } from '@libs/ddd';
import { EVENT_CATEGORIES, EVENT_FORMATS, EVENT_VISIBILITIES, type EventCategory, type EventFormat, type EventVisibility } from '../contracts/views';
import type { EventInput } from '../contracts/admin';

/**
 * The rules of an event's details as operators enter them (pure functions, no database): dates are typed as local
 * date-times in the event's time zone and stored as UTC; every problem is named by its form field with a message key
 * (`events.admin.errors.*`), so that a form shows them all at once.
 */

export const EVENT_LIMITS = {
  title: 120,
  organiserName: 100,
  place: 300,
  onlineUrl: 500,
  paymentNote: 300,
  description: 20_000,
  notes: 2_000,
  feeYen: 1_000_000,
  capacity: 100_000,
  maxCompanions: 10,
} as const;

/** Time zones offered on the form (the community's first); any valid IANA zone is accepted. */
export const EVENT_TIME_ZONES = ['Asia/Tokyo', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Bangkok', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'] as const;

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export type Problems = Record<string, Problem[]>;

/** Details of an event once they have passed every rule (dates in UTC). */
export interface EventDetails {
  title: string;
  category: EventCategory;
  format: EventFormat;
  visibility: EventVisibility;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  deadlineAt: Date | null;
  place: string | null;
  onlineUrl: string | null;
  feeYen: number;
  paymentNote: string | null;
  capacity: number | null;
  maxCompanions: number;
  description: string;
  notes: string | null;
  organiserName: string;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A local date-time typed on the form ('2026-12-05T18:30') in `timeZone`, as the UTC instant; null when it is not a
 * real date-time (years 2000–2100).
 */
export function localDateTimeToUtc(local: string, timeZone: string): Date | null {
  const m = LOCAL_DATE_TIME.exec(local.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  if (year < 2000 || year > 2100) return null;
  return new Date(zonedInstant(timeZone, year, month, day, hour, minute).getTime() + second * 1000);
}

/** A stored instant as the form shows it: local date-time in `timeZone` ('2026-12-05T18:30'). */
export function utcToLocalDateTime(date: Date, timeZone: string): string {
  return new Date(date.getTime() + zoneOffsetMinutes(date, timeZone) * 60_000).toISOString().slice(0, 16);
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const optionalText = (v: unknown): string | null => text(v) || null;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.hostname;
  } catch {
    return false;
  }
}

function wholeNumber(v: unknown): number | null | 'invalid' {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : 'invalid';
}

/**
 * Checks what an operator entered and answers the details to store, or every problem by field. The rules:
 * title (≤ 120) and organiser required; category, format and visibility from their lists; a valid time zone;
 * start and end as local date-times with the end after the start; the deadline (optional) not after the start;
 * fee a whole number of yen ≥ 0, with a payment note when it is not free; capacity empty (no limit) or ≥ 1;
 * companions 0–10; an http(s) online URL for online and hybrid events; a place for on-site and hybrid events.
 */
export function checkEventInput(input: EventInput): { details: EventDetails | null; problems: Problems } {
  const problems: Problems = {};
  const add = (field: string, key: string, params?: Problem['params']) => (problems[field] ??= []).push({ key: `events.admin.errors.${key}`, params });
  const tooLong = (field: keyof typeof EVENT_LIMITS, value: string | null) => {
    if (value && value.length > EVENT_LIMITS[field]) add(field, 'tooLong', { max: EVENT_LIMITS[field] });
  };

  const title = text(input.title);
  if (!title) add('title', 'titleRequired');
  tooLong('title', title);
  const organiserName = text(input.organiserName);
  if (!organiserName) add('organiserName', 'organiserRequired');
  tooLong('organiserName', organiserName);

  const category = input.category as EventCategory;
  if (!EVENT_CATEGORIES.includes(category)) add('category', 'choose');
  const format = input.format as EventFormat;
  if (!EVENT_FORMATS.includes(format)) add('format', 'choose');
  const visibility = input.visibility as EventVisibility;
  if (!EVENT_VISIBILITIES.includes(visibility)) add('visibility', 'choose');

  const timeZone = text(input.timeZone) || 'Asia/Tokyo';
  const zoneOk = isValidTimeZone(timeZone);
  if (!zoneOk) add('timeZone', 'timeZone');

  const when = (field: 'startsAt' | 'endsAt' | 'deadlineAt', value: unknown, required: boolean): Date | null => {
    const raw = text(value);
    if (!raw) {
      if (required) add(field, 'dateTimeRequired');
      return null;
    }
    const date = zoneOk ? localDateTimeToUtc(raw, timeZone) : null;
    if (!date && zoneOk) add(field, 'dateTime');
    return date;
  };
  const startsAt = when('startsAt', input.startsAt, true);
  const endsAt = when('endsAt', input.endsAt, true);
  const deadlineAt = when('deadlineAt', input.deadlineAt, false);
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) add('endsAt', 'endBeforeStart');
  if (startsAt && deadlineAt && deadlineAt.getTime() > startsAt.getTime()) add('deadlineAt', 'deadlineAfterStart');

  const fee = wholeNumber(input.feeYen);
  const feeYen = fee === 'invalid' ? 0 : (fee ?? 0);
  if (fee === 'invalid') add('feeYen', 'wholeYen');
  else if (feeYen < 0) add('feeYen', 'feeNegative');
  else if (feeYen > EVENT_LIMITS.feeYen) add('feeYen', 'feeTooHigh', { max: EVENT_LIMITS.feeYen.toLocaleString('en-US') });
  const paymentNote = optionalText(input.paymentNote);
  if (feeYen > 0 && !paymentNote) add('paymentNote', 'paymentNoteRequired');
  tooLong('paymentNote', paymentNote);

  const capacity = wholeNumber(input.capacity);
  if (capacity === 'invalid') add('capacity', 'wholeNumber');
  else if (capacity !== null && capacity < 1) add('capacity', 'capacityMin');
  else if (capacity !== null && capacity > EVENT_LIMITS.capacity) add('capacity', 'capacityMax', { max: EVENT_LIMITS.capacity.toLocaleString('en-US') });

  const companions = wholeNumber(input.maxCompanions);
  const maxCompanions = companions === 'invalid' ? 0 : (companions ?? 0);
  if (companions === 'invalid' || maxCompanions < 0 || maxCompanions > EVENT_LIMITS.maxCompanions) {
    add('maxCompanions', 'companionsRange', { max: EVENT_LIMITS.maxCompanions });
  }

  let place = optionalText(input.place);
  let onlineUrl = optionalText(input.onlineUrl);
  const online = format === 'online' || format === 'hybrid';
  const onsite = format === 'onsite' || format === 'hybrid';
  if (online && !onlineUrl) add('onlineUrl', 'onlineUrlRequired');
  else if (online && onlineUrl && !isHttpUrl(onlineUrl)) add('onlineUrl', 'onlineUrlInvalid');
  tooLong('onlineUrl', onlineUrl);
  if (onsite && !place) add('place', 'placeRequired');
  tooLong('place', place);
  // What does not apply to the format is not kept (an on-site event has no online URL to leak).
  if (format === 'online') place = null;
  if (format === 'onsite') onlineUrl = null;

  const description = text(input.description);
  tooLong('description', description);
  const notes = optionalText(input.notes);
  tooLong('notes', notes);

  if (Object.keys(problems).length > 0) return { details: null, problems };
  return {
    problems,
    details: {
      title,
      category,
      format,
      visibility,
      timeZone,
      startsAt: startsAt!,
      endsAt: endsAt!,
      deadlineAt,
      place,
      onlineUrl,
      feeYen,
      paymentNote: feeYen > 0 ? paymentNote : null,
      capacity: capacity as number | null,
      maxCompanions,
      description,
      notes,
      organiserName,
    },
  };
}

/** Fields whose change members registered for a published event are told about. */
export const NOTIFIED_FIELDS = ['startsAt', 'endsAt', 'place', 'onlineUrl', 'format'] as const;
export type NotifiedField = (typeof NOTIFIED_FIELDS)[number];

type Comparable = Pick<EventDetails, NotifiedField>;

/** Which of start, end, place, online URL and format differ (in that order). */
export function notifiedChanges(before: Comparable, after: Comparable): NotifiedField[] {
  const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : (a ?? null) === (b ?? null));
  return NOTIFIED_FIELDS.filter((f) => !same(before[f], after[f]));
}

/**
 * Attendance rate of an event: checked-in registrations over confirmed ones, as a whole percentage; null when nobody
 * was confirmed.
 */
export function attendanceRate(checkedIn: number, confirmed: number): number | null {
  if (confirmed <= 0) return null;
  return Math.round((Math.min(checkedIn, confirmed) / confirmed) * 100);
}

/** Details that broke the rules: the first problem is the error's message and field; `problems` has them all. */
export class EventInputError extends DomainError {
  constructor(readonly problems: Problems) {
    const [field, list] = Object.entries(problems)[0] ?? ['title', [{ key: 'events.admin.errors.titleRequired' }]];
    super(list[0].key, { field, params: list[0].params });
  }
}
