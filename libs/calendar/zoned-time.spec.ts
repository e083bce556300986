import { isValidTimeZone, zonedDate, zonedInstant, zonedMonth, zonedMonthRange, zoneOffsetMinutes } from './zoned-time';

describe('zoned time', () => {
  it('gives the calendar date of an instant in a zone', () => {
    expect(zonedDate(new Date('2026-03-31T14:59:59Z'), 'Asia/Tokyo')).toBe('2026-03-31');
    expect(zonedDate(new Date('2026-03-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-04-01');
    expect(zonedDate(new Date('2026-03-31T15:00:00Z'), 'UTC')).toBe('2026-03-31');
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(null)).toBe(false);
  });

  it('gives the offset of a zone, following daylight saving', () => {
    expect(zoneOffsetMinutes(new Date('2026-01-15T00:00:00Z'), 'Asia/Tokyo')).toBe(540);
    expect(zoneOffsetMinutes(new Date('2026-01-15T00:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2026-07-15T00:00:00Z'), 'America/New_York')).toBe(-240);
  });

  it('finds the instant of a wall-clock time in a zone', () => {
    expect(zonedInstant('Asia/Tokyo', 2026, 12, 1).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(zonedInstant('Europe/London', 2026, 7, 1, 9, 30).toISOString()).toBe('2026-07-01T08:30:00.000Z');
  });

  it('turns a month into its range in the zone', () => {
    expect(zonedMonthRange('2026-12', 'Asia/Tokyo')).toEqual({ from: new Date('2026-11-30T15:00:00Z'), to: new Date('2026-12-31T15:00:00Z') });
    expect(zonedMonthRange('2026-03', 'America/Los_Angeles')).toEqual({ from: new Date('2026-03-01T08:00:00Z'), to: new Date('2026-04-01T07:00:00Z') });
    expect(zonedMonthRange('2026-13', 'Asia/Tokyo')).toBeUndefined();
    expect(zonedMonthRange('2026-1', 'Asia/Tokyo')).toBeUndefined();
  });

  it('names the month an instant falls in, in the zone', () => {
    expect(zonedMonth(new Date('2026-11-30T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-12');
    expect(zonedMonth(new Date('2026-11-30T16:00:00Z'), 'Europe/London')).toBe('2026-11');
  });
});
