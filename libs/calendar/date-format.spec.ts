import { dateTimeFormat } from './date-format';

describe('dateTimeFormat', () => {
  it('reuses one formatter per locale and options', () => {
    const a = dateTimeFormat('ja-JP', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' });
    expect(dateTimeFormat('ja-JP', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })).toBe(a);
    expect(dateTimeFormat('ja-JP', { dateStyle: 'medium', timeZone: 'Europe/London' })).not.toBe(a);
    expect(dateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })).not.toBe(a);
  });

  it('formats as a new formatter would', () => {
    const d = new Date('2026-12-05T10:00:00Z');
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' };
    expect(dateTimeFormat('ja-JP', options).format(d)).toBe(new Intl.DateTimeFormat('ja-JP', options).format(d));
  });

  it('still refuses an unknown time zone', () => {
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
