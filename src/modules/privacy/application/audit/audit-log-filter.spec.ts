import { thrownBy } from '@libs/testing';
import { auditLogConditions } from './audit-log-filter';

const ID = '0b7e5a52-6c1d-4c8e-9a55-2f0f3f8f1a10';

describe('auditLogConditions', () => {
  it('has no conditions without filters, newest first', () => {
    expect(auditLogConditions({})).toEqual({ where: [], params: [], newerFirst: true });
  });

  it('filters by a known action only', () => {
    expect(auditLogConditions({ action: 'directory.exported' })).toMatchObject({ where: ['action = ?'], params: ['directory.exported'] });
    expect(thrownBy(() => auditLogConditions({ action: 'profile.deleted' as never }))).toMatchObject({ code: 'validation.isIn', field: 'action' });
  });

  it('takes a member id as an exact match and anything else as part of the name, spaces and width ignored', () => {
    expect(auditLogConditions({ actor: ID.toUpperCase() })).toMatchObject({ where: ['actor_id = ?'], params: [ID] });
    expect(auditLogConditions({ subject: ' 田中　美咲 ' })).toMatchObject({ where: ["replace(normalize(subject_name, NFKC), ' ', '') ilike ?"], params: ['%田中美咲%'] });
    expect(auditLogConditions({ actor: 'ＡＢＣ' }).params).toEqual(['%ABC%']);
  });

  it('escapes LIKE wildcards in names', () => {
    expect(auditLogConditions({ actor: '100%_a\\b' }).params).toEqual(['%100\\%\\_a\\\\b%']);
  });

  it('ignores a name filter of only spaces', () => {
    expect(auditLogConditions({ actor: '   ', subject: '' }).where).toEqual([]);
  });

  it('turns days into a half-open range in the time zone', () => {
    const c = auditLogConditions({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Tokyo' });
    expect(c.where).toEqual(['occurred_at >= (?::date)::timestamp at time zone ?', 'occurred_at < (?::date + 1)::timestamp at time zone ?']);
    expect(c.params).toEqual(['2026-11-01', 'Asia/Tokyo', '2026-11-30', 'Asia/Tokyo']);
  });

  it('names the field of an impossible date, a reversed range or an unknown time zone', () => {
    expect(thrownBy(() => auditLogConditions({ from: '2026-02-30' }))).toMatchObject({ code: 'validation.isDateString', field: 'from' });
    expect(thrownBy(() => auditLogConditions({ to: '2026/11/01' }))).toMatchObject({ code: 'validation.isDateString', field: 'to' });
    expect(thrownBy(() => auditLogConditions({ from: '2026-11-02', to: '2026-11-01' }))).toMatchObject({ code: 'validation.dateRange', field: 'to' });
    expect(thrownBy(() => auditLogConditions({ timeZone: 'Mars/Olympus' }))).toMatchObject({ field: 'timeZone' });
    expect(thrownBy(() => auditLogConditions({ actor: 'x'.repeat(101) }))).toMatchObject({ code: 'validation.maxLength', field: 'actor' });
  });

  it('pages by keyset from an event id, backwards (older) or forwards (newer)', () => {
    const older = auditLogConditions({}, { before: ID });
    expect(older.where[0]).toMatch(/^\(occurred_at, id\) < \(select/);
    expect(older).toMatchObject({ params: [ID], newerFirst: true });
    const newer = auditLogConditions({}, { after: ID });
    expect(newer.where[0]).toMatch(/^\(occurred_at, id\) > \(select/);
    expect(newer.newerFirst).toBe(false);
    expect(thrownBy(() => auditLogConditions({}, { before: 'not-an-id' }))).toMatchObject({ code: 'validation.isUuid', field: 'before' });
    expect(thrownBy(() => auditLogConditions({}, { before: ID, after: ID }))).toMatchObject({ field: 'before' });
  });
});
