import { escapeText, foldLine, utcDateTime, writeCalendar } from './ics';

describe('iCalendar writer', () => {
  const event = {
    uid: 'event-1@kizuna.test',
    sequence: 3,
    start: new Date('2026-12-24T09:00:00Z'),
    end: new Date('2026-12-24T11:30:00Z'),
    summary: '忘年会, 2026; 営業部\\OB',
    description: '一行目\n二行目\r\n三行目',
    location: '東京都千代田区丸の内1-1',
    url: 'https://kizuna.test/events/1',
  };

  it('escapes backslash, semicolon, comma and new lines in TEXT values', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('writes times in UTC', () => {
    expect(utcDateTime(new Date('2026-12-24T09:05:07.123Z'))).toBe('20261224T090507Z');
  });

  it('ends every line with CRLF and has no bare LF', () => {
    const ics = writeCalendar({ prodId: '-//Kizuna//Events//JA', now: new Date('2026-11-01T00:00:00Z'), events: [event] });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.split('\r\n')[0]).toBe('BEGIN:VCALENDAR');
  });

  it('writes one VEVENT with UID, DTSTAMP, UTC start and end, SEQUENCE and the escaped texts', () => {
    const ics = writeCalendar({ prodId: '-//Kizuna//Events//JA', now: new Date('2026-11-01T00:00:00Z'), events: [{ ...event, status: 'CANCELLED' }] });
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('UID:event-1@kizuna.test\r\n');
    expect(unfolded).toContain('DTSTAMP:20261101T000000Z\r\n');
    expect(unfolded).toContain('DTSTART:20261224T090000Z\r\n');
    expect(unfolded).toContain('DTEND:20261224T113000Z\r\n');
    expect(unfolded).toContain('SEQUENCE:3\r\n');
    expect(unfolded).toContain('SUMMARY:忘年会\\, 2026\\; 営業部\\\\OB\r\n');
    expect(unfolded).toContain('DESCRIPTION:一行目\\n二行目\\n三行目\r\n');
    expect(unfolded).toContain('STATUS:CANCELLED\r\n');
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it('folds long lines at 75 octets without splitting a multi-byte character, and unfolding restores them', () => {
    const long = `SUMMARY:${'絆'.repeat(60)}abc`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    for (const line of lines.slice(1)) expect(line.startsWith(' ')).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    // Every piece is valid UTF-8 on its own (no character cut in two).
    for (const line of lines) expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });

  it('leaves lines of 75 octets or fewer alone', () => {
    const line = `UID:${'x'.repeat(71)}`;
    expect(foldLine(line)).toBe(line);
    expect(foldLine(`${line}y`).split('\r\n')).toEqual([line, ' y']);
  });

  it('omits optional properties that are empty', () => {
    const ics = writeCalendar({ prodId: 'p', now: new Date(0), events: [{ uid: 'u', sequence: 0, start: new Date(0), end: new Date(0), summary: 's' }] });
    expect(ics).not.toMatch(/LOCATION|DESCRIPTION|URL|STATUS/);
  });
});
