import { formatDateTime, formatEventTimes, readerTimeZone } from './event-times';

const start = new Date('2026-12-05T10:00:00Z');
const end = new Date('2026-12-05T12:00:00Z');

describe('event times in notices', () => {
  it('shows the start and end in Japanese in Tokyo time', () => {
    expect(formatEventTimes(start, end, 'ja', 'Asia/Tokyo')).toBe('2026年12月5日(土) 19:00〜21:00（Asia/Tokyo）');
  });

  it("shows them in English in the reader's own zone", () => {
    expect(formatEventTimes(start, end, 'en', 'Europe/London')).toBe('Sat, 5 December 2026 10:00 – 12:00 (Europe/London)');
  });

  it('dates an end that falls on another day in the reader zone', () => {
    expect(formatEventTimes(new Date('2026-12-05T13:00:00Z'), new Date('2026-12-05T16:00:00Z'), 'ja', 'Asia/Tokyo')).toBe(
      '2026年12月5日(土) 22:00〜2026年12月6日(日) 01:00（Asia/Tokyo）',
    );
  });

  it('falls back to Tokyo for a missing or unknown zone', () => {
    expect(readerTimeZone(null)).toBe('Asia/Tokyo');
    expect(readerTimeZone('Mars/Olympus')).toBe('Asia/Tokyo');
    expect(formatDateTime(start, 'ja', 'Mars/Olympus')).toBe('2026年12月5日(土) 19:00');
  });
});
