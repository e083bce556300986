import type { PersonalDataView } from '@modules/membership/contracts';
import { buildExportDocument, exportFileName, serializeExport } from './export-document';
import { currentConsent } from './consent';

const MEMBER = '00000000-0000-4000-8000-000000000001';

const membership = {
  account: { memberId: MEMBER, email: 'hanako@example.jp' },
  application: null,
  profile: { familyName: '佐藤', givenName: '花子' },
  invitations: [],
  roster: null,
} as unknown as PersonalDataView;

describe('the export document', () => {
  const generatedAt = new Date('2026-11-24T03:00:00Z');
  const given = new Date('2026-11-20T01:02:03Z');

  const doc = buildExportDocument({
    memberId: MEMBER,
    communityName: 'Kizuna',
    generatedAt,
    membership,
    consent: {
      current: currentConsent([{ purpose: 'talent_pool', granted: true, textVersion: '2026-11', recordedAt: given }]),
      history: [{ id: 'r1', purpose: 'talent_pool', granted: true, textVersion: '2026-11', textLocale: 'ja', text: '人事部が…', source: 'member', recordedAt: given }],
    },
    dataExports: [{ exportId: 'e0', state: 'expired', requestedAt: given, readyAt: given, downloadedAt: null }],
  });

  it('holds what Membership gave, then Privacy’s consent and earlier exports, with ISO dates', () => {
    expect(doc).toMatchObject({
      format: 'kizuna-personal-data',
      formatVersion: 1,
      community: 'Kizuna',
      generatedAt: '2026-11-24T03:00:00.000Z',
      memberId: MEMBER,
      membership,
    });
    const privacy = doc.privacy as { consent: { current: unknown[]; history: unknown[] }; dataExports: unknown[] };
    expect(privacy.consent.current).toContainEqual({ purpose: 'talent_pool', answer: 'given', textVersion: '2026-11', recordedAt: '2026-11-20T01:02:03.000Z', currentTextVersion: '2026-11' });
    expect(privacy.consent.current).toContainEqual({ purpose: 'community', answer: 'not-answered', textVersion: null, recordedAt: null, currentTextVersion: '2026-11' });
    expect(privacy.consent.history).toEqual([
      { purpose: 'talent_pool', granted: true, textVersion: '2026-11', textLocale: 'ja', text: '人事部が…', source: 'member', recordedAt: '2026-11-20T01:02:03.000Z' },
    ]);
    expect(privacy.dataExports).toEqual([{ exportId: 'e0', state: 'expired', requestedAt: '2026-11-20T01:02:03.000Z', readyAt: '2026-11-20T01:02:03.000Z', downloadedAt: null }]);
  });

  it('serialises the same file whatever order the stored keys come back in', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const scrambled = reverseKeys(doc) as Record<string, unknown>;
    expect(Object.keys(scrambled)).not.toEqual(Object.keys(doc));
    expect(JSON.stringify(scrambled)).not.toBe(JSON.stringify(doc));
    expect(serializeExport(scrambled)).toBe(serializeExport(doc));
    const text = serializeExport(doc);
    expect(JSON.parse(text)).toEqual(doc);
    expect(text.indexOf('"community"')).toBeLessThan(text.indexOf('"format"'));
    expect(text).toContain('\n  "memberId": ');
  });

  it('names the file after the day in Japan the data was gathered', () => {
    expect(exportFileName(new Date('2026-11-30T14:59:59Z'))).toBe('kizuna-data-2026-11-30.json');
    expect(exportFileName(new Date('2026-11-30T15:00:00Z'))).toBe('kizuna-data-2026-12-01.json');
  });
});
