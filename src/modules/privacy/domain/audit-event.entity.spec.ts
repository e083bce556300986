import { thrownBy } from '@libs/testing';
import { AuditEvent } from './audit-event.entity';

const base = { actorId: '0b7e5a52-6c1d-4c8e-9a55-2f0f3f8f1a10', actorName: '人事 花子', action: 'profile.restricted-viewed' as const };

describe('AuditEvent.record', () => {
  it('keeps the actor, subject, distinct field names and detail', () => {
    const e = AuditEvent.record({ ...base, subjectId: 'b1c0a2f4-2f0b-4c43-8f5e-0d7b0d0a0a01', subjectName: '田中 美咲', fields: ['contactEmail', 'contactEmail', ' birthDate '], detail: { page: 'profile' }, requestId: 'req-1' });
    expect(e).toMatchObject({ actorName: '人事 花子', subjectName: '田中 美咲', fields: ['contactEmail', 'birthDate'], detail: { page: 'profile' }, requestId: 'req-1' });
    expect(e.occurredAt).toBeInstanceOf(Date);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unknown action', () => {
    expect(thrownBy(() => AuditEvent.record({ ...base, action: 'profile.edited' as never }))).toMatchObject({ code: 'validation.isIn', field: 'action' });
  });

  it('refuses a detail over 8 KiB and more than 50 fields', () => {
    expect(thrownBy(() => AuditEvent.record({ ...base, detail: { note: 'x'.repeat(9000) } }))).toMatchObject({ field: 'detail' });
    expect(thrownBy(() => AuditEvent.record({ ...base, fields: Array.from({ length: 51 }, (_, i) => `f${i}`) }))).toMatchObject({ field: 'fields' });
  });

  it('clips long names rather than failing the page that records them', () => {
    expect(AuditEvent.record({ ...base, actorName: 'あ'.repeat(300) }).actorName).toHaveLength(200);
  });
});
