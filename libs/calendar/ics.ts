/**
 * An iCalendar (RFC 5545) writer: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character),
 * TEXT values escaped (backslash, semicolon, comma, new lines), times in UTC (`…Z`).
 */

export interface IcsEvent {
  /** Stable for the event across edits, so calendars update it instead of adding a copy. */
  uid: string;
  /** Grows whenever the event changes. */
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** When the event last changed. */
  lastModified?: Date;
}

export interface IcsCalendar {
  prodId: string;
  /** The calendar's name, shown by calendar apps for a subscribed feed. */
  name?: string;
  /** The moment the file is made (DTSTAMP of every event). */
  now: Date;
  events: IcsEvent[];
}

/** A TEXT value: backslash, semicolon and comma escaped, every kind of new line written as \n. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A DATE-TIME in UTC: 20261224T100000Z. */
export function utcDateTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Folds one content line into lines of at most 75 octets; continuation lines start with a space (which counts).
 * A character is never split between two lines.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

function property(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

export function writeCalendar(calendar: IcsCalendar): string {
  const lines: string[] = ['BEGIN:VCALENDAR', 'VERSION:2.0', property('PRODID', calendar.prodId), 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (calendar.name) lines.push(property('X-WR-CALNAME', escapeText(calendar.name)));
  const stamp = utcDateTime(calendar.now);
  for (const e of calendar.events) {
    lines.push('BEGIN:VEVENT');
    lines.push(property('UID', e.uid));
    lines.push(`DTSTAMP:${stamp}`);
    lines.push(`DTSTART:${utcDateTime(e.start)}`);
    lines.push(`DTEND:${utcDateTime(e.end)}`);
    lines.push(`SEQUENCE:${Math.max(0, Math.floor(e.sequence))}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${utcDateTime(e.lastModified)}`);
    lines.push(property('SUMMARY', escapeText(e.summary)));
    if (e.description) lines.push(property('DESCRIPTION', escapeText(e.description)));
    if (e.location) lines.push(property('LOCATION', escapeText(e.location)));
    if (e.url) lines.push(property('URL', e.url));
    if (e.status) lines.push(`STATUS:${e.status}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
