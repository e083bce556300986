import type { EventInput } from '../contracts/admin';
import { Event } from './event.entity';
import { attendanceRate, checkEventInput, localDateTimeToUtc, notifiedChanges, utcToLocalDateTime, type EventDetails } from './event-schedule';
import { Registration } from './registration.entity';

const valid: EventInput = {
  title: '秋の交流会',
  category: 'party',
  format: 'onsite',
  visibility: 'members',
  timeZone: 'Asia/Tokyo',
  startsAt: '2026-12-05T18:30',
  endsAt: '2026-12-05T21:00',
  deadlineAt: '',
  place: '本社 20階',
  onlineUrl: '',
  feeYen: '0',
  paymentNote: '',
  capacity: '40',
  maxCompanions: '0',
  description: '年に一度の交流会です。',
  notes: '',
  organiserName: '運営事務局',
};

const problemsOf = (input: Partial<EventInput>) => checkEventInput({ ...valid, ...input }).problems;
const keysOf = (input: Partial<EventInput>) =>
  Object.fromEntries(Object.entries(problemsOf(input)).map(([field, list]) => [field, list.map((p) => p.key.replace('events.admin.errors.', ''))]));

describe('event times', () => {
  it('reads a local date-time in Asia/Tokyo as the UTC instant nine hours earlier', () => {
    expect(localDateTimeToUtc('2026-12-05T18:30', 'Asia/Tokyo')?.toISOString()).toBe('2026-12-05T09:30:00.000Z');
    expect(localDateTimeToUtc('2026-01-01T00:00', 'Asia/Tokyo')?.toISOString()).toBe('2025-12-31T15:00:00.000Z');
  });

  it('follows daylight saving time in zones that have it', () => {
    expect(localDateTimeToUtc('2026-07-01T12:00', 'Europe/London')?.toISOString()).toBe('2026-07-01T11:00:00.000Z');
    expect(localDateTimeToUtc('2026-01-15T12:00', 'Europe/London')?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(localDateTimeToUtc('2026-07-01T09:00', 'America/New_York')?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
  });

  it('refuses what is not a real date-time', () => {
    for (const bad of ['2026-02-30T10:00', '2026-12-05T24:10', '2026-13-01T10:00', 'tomorrow', '2026-12-05', '1899-01-01T10:00']) {
      expect(localDateTimeToUtc(bad, 'Asia/Tokyo')).toBeNull();
    }
  });

  it('shows a stored instant back as the local date-time the form had', () => {
    const stored = localDateTimeToUtc('2026-12-05T18:30', 'Asia/Tokyo')!;
    expect(utcToLocalDateTime(stored, 'Asia/Tokyo')).toBe('2026-12-05T18:30');
    expect(utcToLocalDateTime(stored, 'UTC')).toBe('2026-12-05T09:30');
  });
});

describe('checkEventInput', () => {
  it('accepts a complete event and stores its times in UTC', () => {
    const { details, problems } = checkEventInput(valid);
    expect(problems).toEqual({});
    expect(details).toMatchObject({ title: '秋の交流会', capacity: 40, feeYen: 0, maxCompanions: 0, deadlineAt: null, onlineUrl: null, paymentNote: null });
    expect(details?.startsAt.toISOString()).toBe('2026-12-05T09:30:00.000Z');
  });

  it('needs a title of at most 120 characters and an organiser', () => {
    expect(keysOf({ title: '  ' })).toEqual({ title: ['titleRequired'] });
    expect(keysOf({ title: 'あ'.repeat(121) })).toEqual({ title: ['tooLong'] });
    expect(checkEventInput({ ...valid, title: 'あ'.repeat(120) }).problems).toEqual({});
    expect(keysOf({ organiserName: '' })).toEqual({ organiserName: ['organiserRequired'] });
  });

  it('takes category, format and visibility only from their lists', () => {
    expect(keysOf({ category: 'concert', format: 'radio', visibility: 'operators' })).toEqual({ category: ['choose'], format: ['choose'], visibility: ['choose'] });
  });

  it('wants the end after the start', () => {
    expect(keysOf({ endsAt: '2026-12-05T18:30' })).toEqual({ endsAt: ['endBeforeStart'] });
    expect(keysOf({ endsAt: '2026-12-05T17:00' })).toEqual({ endsAt: ['endBeforeStart'] });
    expect(keysOf({ startsAt: '', endsAt: 'soon' })).toEqual({ startsAt: ['dateTimeRequired'], endsAt: ['dateTime'] });
  });

  it('wants the deadline (optional) no later than the start', () => {
    expect(keysOf({ deadlineAt: '2026-12-05T18:31' })).toEqual({ deadlineAt: ['deadlineAfterStart'] });
    expect(checkEventInput({ ...valid, deadlineAt: '2026-12-05T18:30' }).details?.deadlineAt?.toISOString()).toBe('2026-12-05T09:30:00.000Z');
    expect(checkEventInput({ ...valid, deadlineAt: '2026-12-01T23:59' }).problems).toEqual({});
  });

  it('takes the fee as whole yen, never negative, with a payment note when not free', () => {
    expect(keysOf({ feeYen: '-500' })).toEqual({ feeYen: ['feeNegative'] });
    expect(keysOf({ feeYen: '1500.5' })).toEqual({ feeYen: ['wholeYen'] });
    expect(keysOf({ feeYen: '千円' })).toEqual({ feeYen: ['wholeYen'] });
    expect(keysOf({ feeYen: '3000' })).toEqual({ paymentNote: ['paymentNoteRequired'] });
    expect(checkEventInput({ ...valid, feeYen: '3000', paymentNote: '当日現金で' }).details).toMatchObject({ feeYen: 3000, paymentNote: '当日現金で' });
    expect(checkEventInput({ ...valid, feeYen: '' }).details?.feeYen).toBe(0);
  });

  it('takes the capacity as at least 1, or empty for no limit', () => {
    expect(keysOf({ capacity: '0' })).toEqual({ capacity: ['capacityMin'] });
    expect(keysOf({ capacity: '-3' })).toEqual({ capacity: ['capacityMin'] });
    expect(keysOf({ capacity: '2.5' })).toEqual({ capacity: ['wholeNumber'] });
    expect(checkEventInput({ ...valid, capacity: '' }).details?.capacity).toBeNull();
    expect(checkEventInput({ ...valid, capacity: 1 }).details?.capacity).toBe(1);
  });

  it('allows 0 to 10 companions', () => {
    expect(keysOf({ maxCompanions: '11' })).toEqual({ maxCompanions: ['companionsRange'] });
    expect(keysOf({ maxCompanions: '-1' })).toEqual({ maxCompanions: ['companionsRange'] });
    expect(checkEventInput({ ...valid, maxCompanions: '10' }).details?.maxCompanions).toBe(10);
  });

  it('needs an http(s) URL online and a place on site; hybrid needs both', () => {
    expect(keysOf({ format: 'online', place: '' })).toEqual({ onlineUrl: ['onlineUrlRequired'] });
    expect(keysOf({ format: 'online', onlineUrl: 'javascript:alert(1)' })).toEqual({ onlineUrl: ['onlineUrlInvalid'] });
    expect(keysOf({ format: 'online', onlineUrl: 'meet.example.jp/x' })).toEqual({ onlineUrl: ['onlineUrlInvalid'] });
    expect(keysOf({ format: 'onsite', place: '' })).toEqual({ place: ['placeRequired'] });
    expect(keysOf({ format: 'hybrid', place: '', onlineUrl: '' })).toEqual({ onlineUrl: ['onlineUrlRequired'], place: ['placeRequired'] });
    // What does not apply to the format is dropped.
    expect(checkEventInput({ ...valid, format: 'online', onlineUrl: 'https://meet.example.jp/x', place: '本社' }).details).toMatchObject({ place: null, onlineUrl: 'https://meet.example.jp/x' });
  });

  it('names every problem at once', () => {
    expect(Object.keys(problemsOf({ title: '', endsAt: '2026-12-04T10:00', feeYen: '-1', capacity: '0' })).sort()).toEqual(['capacity', 'endsAt', 'feeYen', 'title']);
  });

  it('refuses an unknown time zone', () => {
    expect(keysOf({ timeZone: 'Mars/Olympus' })).toEqual({ timeZone: ['timeZone'] });
  });
});

describe('notifiedChanges and attendanceRate', () => {
  const base = { startsAt: new Date('2026-12-05T09:30:00Z'), endsAt: new Date('2026-12-05T12:00:00Z'), place: '本社', onlineUrl: null, format: 'onsite' as const };

  it('lists only the start, end, place, online URL and format that changed', () => {
    expect(notifiedChanges(base, { ...base, startsAt: new Date(base.startsAt) })).toEqual([]);
    expect(notifiedChanges(base, { ...base, startsAt: new Date('2026-12-05T10:00:00Z'), place: '別館' })).toEqual(['startsAt', 'place']);
    expect(notifiedChanges(base, { ...base, format: 'hybrid', onlineUrl: 'https://x.example.jp' })).toEqual(['onlineUrl', 'format']);
  });

  it('is checked-in over confirmed in whole percent, and nothing without confirmed members', () => {
    expect(attendanceRate(10, 12)).toBe(83);
    expect(attendanceRate(0, 5)).toBe(0);
    expect(attendanceRate(5, 5)).toBe(100);
    expect(attendanceRate(0, 0)).toBeNull();
  });
});

describe('Event and Registration behaviour for operators', () => {
  const details = (over: Partial<EventDetails> = {}): EventDetails => ({ ...checkEventInput(valid).details!, ...over });

  it('refuses a capacity below the seats already confirmed, at the capacity field', () => {
    const event = Event.draft(details(), 'op');
    event.confirmedSeats = 12;
    expect(() => event.applyDetails(details({ capacity: 11 }))).toThrow(expect.objectContaining({ code: 'events.admin.errors.capacityBelowConfirmed', field: 'capacity' }));
    expect(event.capacity).toBe(40);
    expect(event.applyDetails(details({ capacity: 12 }))).toEqual([]);
    expect(event.applyDetails(details({ capacity: null, place: '別館' }))).toEqual(['place']);
  });

  it('moves the calendar SEQUENCE when what a calendar shows changes or the event is cancelled, not when seats are taken', () => {
    const event = Event.draft(details(), 'op');
    expect(event.calendarSequence).toBe(0);
    event.applyDetails(details({ capacity: 50 }));
    event.confirmedSeats = 3;
    expect(event.calendarSequence).toBe(0);
    event.applyDetails(details({ capacity: 50, place: '別館' }));
    expect(event.calendarSequence).toBe(1);
    event.applyDetails(details({ capacity: 50, place: '別館', title: '新しいタイトル' }));
    expect(event.calendarSequence).toBe(2);
    event.cancel('台風のため');
    expect(event.calendarSequence).toBe(3);
  });

  it('publishes once, and a cancelled event can be neither edited nor published', () => {
    const event = Event.draft(details(), 'op');
    expect(event.publish(new Date('2026-11-01T00:00:00Z'))).toBe(true);
    expect(event.publish()).toBe(false);
    expect(event.publishedAt?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(event.cancel('台風のため')).toBe(true);
    expect(event.cancel('again')).toBe(false);
    expect(event.cancelReason).toBe('台風のため');
    expect(() => event.applyDetails(details())).toThrow(expect.objectContaining({ code: 'events.admin.errors.cancelled' }));
    expect(() => event.publish()).toThrow(expect.objectContaining({ code: 'events.admin.errors.cancelled' }));
  });

  it('checks in a confirmed registration once, and never a waitlisted one', () => {
    const confirmed = new Registration('e', 'm', 'confirmed', 2, '1');
    expect(confirmed.checkIn('op', new Date('2026-12-05T09:00:00Z'))).toBe(true);
    expect(confirmed.checkIn('op2', new Date('2026-12-05T09:05:00Z'))).toBe(false);
    expect([confirmed.checkedInAt?.toISOString(), confirmed.checkedInBy]).toEqual(['2026-12-05T09:00:00.000Z', 'op']);
    expect(confirmed.undoCheckIn()).toBe(true);
    expect(confirmed.checkedInAt).toBeNull();
    expect(() => new Registration('e', 'm2', 'waitlisted', 0, '2').checkIn('op')).toThrow(expect.objectContaining({ code: 'events.admin.errors.checkInNotConfirmed' }));
  });
});
