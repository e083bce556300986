import { reminderDueAt, reminderJobId, reminderKey, reminderNoticeId, remindersToSchedule } from './reminder-schedule';

const EVENT = '6f1c2b7e-2d4a-4c55-9a43-0c1d2e3f4a5b';
const REG = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const start = new Date('2026-12-05T10:00:00Z');

describe('reminder schedule', () => {
  it('is due 24 hours and 1 hour before the start', () => {
    expect(reminderDueAt(start, '24h').toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(reminderDueAt(start, '1h').toISOString()).toBe('2026-12-05T09:00:00.000Z');
  });

  it('schedules both reminders well ahead, only the 1 h one within a day, none within the hour', () => {
    expect(remindersToSchedule(start, new Date('2026-12-01T00:00:00Z')).map((r) => r.kind)).toEqual(['24h', '1h']);
    expect(remindersToSchedule(start, new Date('2026-12-04T10:00:00Z')).map((r) => r.kind)).toEqual(['1h']);
    expect(remindersToSchedule(start, new Date('2026-12-04T20:00:00Z'))).toEqual([{ kind: '1h', dueAt: new Date('2026-12-05T09:00:00Z') }]);
    expect(remindersToSchedule(start, new Date('2026-12-05T09:00:00Z'))).toEqual([]);
    expect(remindersToSchedule(start, new Date('2026-12-05T09:30:00Z'))).toEqual([]);
  });

  it('keys a reminder by event, kind and start time, and gives BullMQ the same id without colons', () => {
    expect(reminderKey(EVENT, '24h', start)).toBe(`event-reminder:${EVENT}:24h:${start.getTime()}`);
    expect(reminderJobId(EVENT, '24h', start)).toBe(`event-reminder-${EVENT}-24h-${start.getTime()}`);
    expect(reminderJobId(EVENT, '24h', start)).not.toContain(':');
    const moved = new Date(start.getTime() + 30 * 60_000);
    expect(reminderKey(EVENT, '24h', moved)).not.toBe(reminderKey(EVENT, '24h', start));
    expect(reminderKey(EVENT, '1h', start)).not.toBe(reminderKey(EVENT, '24h', start));
  });

  it('gives each member reminder a stable UUID that changes with kind, start time and registration', () => {
    const id = reminderNoticeId(REG, '24h', start);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(reminderNoticeId(REG, '24h', new Date(start.toISOString()))).toBe(id);
    expect(reminderNoticeId(REG, '1h', start)).not.toBe(id);
    expect(reminderNoticeId(REG, '24h', new Date(start.getTime() + 60_000))).not.toBe(id);
    expect(reminderNoticeId(EVENT, '24h', start)).not.toBe(id);
  });
});
