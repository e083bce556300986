import { thrownBy } from '@libs/testing';
import { DATA_EXPORT_LIFETIME_DAYS, DataExport } from './data-export.entity';
import { DataExportUnavailableError } from './privacy.errors';

const MEMBER = '00000000-0000-4000-8000-000000000001';
const DAY = 24 * 3600_000;

describe('DataExport', () => {
  const readyAt = new Date('2026-11-24T03:00:00Z');

  function ready(): DataExport {
    const e = new DataExport(MEMBER);
    e.markReady({ hello: 'world' }, 42, readyAt);
    return e;
  }

  it('starts requested, and cannot be downloaded while it is prepared', () => {
    const e = new DataExport(MEMBER);
    expect(e.stateAt()).toBe('requested');
    const error = thrownBy(() => e.download());
    expect(error).toBeInstanceOf(DataExportUnavailableError);
    expect(error).toMatchObject({ reason: 'requested', status: 409, code: 'privacy.export.unavailable.requested' });
    expect(e.downloadedAt).toBeUndefined();
  });

  it(`is ready for ${DATA_EXPORT_LIFETIME_DAYS} days, with its size, and records each download`, () => {
    const e = ready();
    expect(e).toMatchObject({ state: 'ready', sizeBytes: 42, readyAt });
    expect(e.expiresAt?.toISOString()).toBe('2026-12-01T03:00:00.000Z');
    const when = new Date(readyAt.getTime() + 6 * DAY);
    expect(e.download(when)).toEqual({ hello: 'world' });
    expect(e.downloadedAt).toBe(when);
  });

  it('expires at the end of its lifetime: a ready export reads as expired and is refused with 410', () => {
    const e = ready();
    const end = e.expiresAt as Date;
    expect(e.stateAt(new Date(end.getTime() - 1))).toBe('ready');
    expect(e.stateAt(end)).toBe('expired');
    expect(thrownBy(() => e.download(end))).toMatchObject({ reason: 'expired', status: 410 });
    expect(e.downloadedAt).toBeUndefined();
  });

  it('refuses an export whose content was erased, and a failed one', () => {
    const erased = ready();
    erased.content = null;
    expect(thrownBy(() => erased.download(readyAt))).toMatchObject({ reason: 'expired' });
    const failed = new DataExport(MEMBER);
    failed.markFailed();
    expect(failed.state).toBe('failed');
    expect(thrownBy(() => failed.download())).toMatchObject({ reason: 'failed', status: 409 });
  });

  it('is prepared once: a second markReady (a retried job) changes nothing, and a ready export cannot fail', () => {
    const e = ready();
    e.markReady({ other: true }, 7, new Date(readyAt.getTime() + DAY));
    expect(e).toMatchObject({ content: { hello: 'world' }, sizeBytes: 42, readyAt });
    e.markFailed();
    expect(e.state).toBe('ready');
  });
});
