import { messageCatalog, type Locale } from '@libs/i18n';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../contracts/views';

/**
 * The version of each purpose's wording. The wording itself lives in the message catalogues
 * (`privacy.purposes.<purpose>.text`, ja and en); whoever changes it gives it a new version here, so that every
 * recorded decision says which wording it answered (consent-text.spec.ts fails until they do).
 */
export const CONSENT_TEXT_VERSIONS: Record<ConsentPurpose, string> = {
  community: '2026-11',
  talent_pool: '2026-11',
  business_matching: '2026-11',
};

export interface ConsentText {
  purpose: ConsentPurpose;
  version: string;
  locale: Locale;
  title: string;
  text: string;
}

export function consentText(purpose: ConsentPurpose, locale: Locale): ConsentText {
  const catalog = messageCatalog();
  return {
    purpose,
    version: CONSENT_TEXT_VERSIONS[purpose],
    locale,
    title: catalog.t(locale, `privacy.purposes.${purpose}.title`),
    text: catalog.t(locale, `privacy.purposes.${purpose}.text`),
  };
}

export function consentTexts(locale: Locale): ConsentText[] {
  return CONSENT_PURPOSES.map((purpose) => consentText(purpose, locale));
}

export function isConsentPurpose(value: unknown): value is ConsentPurpose {
  return typeof value === 'string' && (CONSENT_PURPOSES as readonly string[]).includes(value);
}
