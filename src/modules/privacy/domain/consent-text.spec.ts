import { createHash } from 'node:crypto';
import { messageCatalog, LOCALES } from '@libs/i18n';
import { CONSENT_PURPOSES } from '../contracts/views';
import { CONSENT_TEXT_VERSIONS, consentText, consentTexts, isConsentPurpose } from './consent-text';

/**
 * The wording each version stood for. A decision records the version it answered, so a wording may never change under
 * the same version: change the text, give it a new version in CONSENT_TEXT_VERSIONS, and add its fingerprint here.
 */
const FINGERPRINTS: Record<string, string> = {
  'community@2026-11': '83cc8cca7649e04c258c1e215eaef28bac97f7a02720c7556ed4b9e0bbb70923',
  'talent_pool@2026-11': '2a82dcfbbb0b88e8fce4746e47bcfba835b3ad57f9f31976d7c148a6ff440fe1',
  'business_matching@2026-11': '77710c11af335e41b6aa7517ee341906df0e712cc20b60917f6df21c02c36d0f',
};

describe('consent texts', () => {
  it.each(CONSENT_PURPOSES)('%s has a title and a text in Japanese and English', (purpose) => {
    const catalog = messageCatalog();
    for (const locale of LOCALES) {
      for (const part of ['title', 'text']) {
        const key = `privacy.purposes.${purpose}.${part}`;
        expect(catalog.has(locale, key)).toBe(true);
        expect(catalog.t(locale, key).trim().length).toBeGreaterThan(part === 'text' ? 40 : 3);
      }
    }
    expect(consentText(purpose, 'ja').text).not.toBe(consentText(purpose, 'en').text);
  });

  it.each(CONSENT_PURPOSES)('the wording of %s is the one its version stands for', (purpose) => {
    const ja = consentText(purpose, 'ja');
    const en = consentText(purpose, 'en');
    const fingerprint = createHash('sha256').update([ja.title, ja.text, en.title, en.text].join('\n')).digest('hex');
    expect({ version: `${purpose}@${CONSENT_TEXT_VERSIONS[purpose]}`, fingerprint }).toEqual({
      version: `${purpose}@${CONSENT_TEXT_VERSIONS[purpose]}`,
      fingerprint: FINGERPRINTS[`${purpose}@${CONSENT_TEXT_VERSIONS[purpose]}`],
    });
  });

  it('describes what each purpose means in this community', () => {
    const en = Object.fromEntries(consentTexts('en').map((t) => [t.purpose, t.text]));
    expect(en.community).toMatch(/profile.*members/i);
    expect(en.community).toMatch(/messages/);
    expect(en.community).toMatch(/events/);
    expect(en.talent_pool).toMatch(/HR/);
    expect(en.talent_pool).toMatch(/rejoining|comeback/);
    expect(en.business_matching).toMatch(/partner companies/);
    const ja = Object.fromEntries(consentTexts('ja').map((t) => [t.purpose, t.text]));
    expect(ja.talent_pool).toContain('カムバック採用');
    expect(ja.business_matching).toContain('提携企業');
  });

  it('lists the purposes in their fixed order with today’s versions', () => {
    expect(consentTexts('ja').map((t) => [t.purpose, t.version, t.locale])).toEqual(CONSENT_PURPOSES.map((p) => [p, CONSENT_TEXT_VERSIONS[p], 'ja']));
  });

  it('knows the purposes and nothing else', () => {
    expect(CONSENT_PURPOSES.every(isConsentPurpose)).toBe(true);
    for (const other of ['marketing', '', 'Community', null, 1]) expect(isConsentPurpose(other)).toBe(false);
  });
});
