import { CONSENT_PURPOSES, type ConsentPurpose } from '../contracts/views';
import type { ConsentAnswer } from '../contracts/consent';
import { CONSENT_TEXT_VERSIONS } from './consent-text';

export interface ConsentDecision {
  purpose: ConsentPurpose;
  granted: boolean;
  textVersion: string;
  recordedAt: Date;
}

export interface ConsentState {
  purpose: ConsentPurpose;
  answer: ConsentAnswer;
  textVersion: string | null;
  recordedAt: Date | null;
  currentVersion: string;
  outdated: boolean;
}

/** The member's current answer per purpose: the newest decision for it (records are only ever added). */
export function currentConsent(records: readonly ConsentDecision[], versions: Record<ConsentPurpose, string> = CONSENT_TEXT_VERSIONS): ConsentState[] {
  return CONSENT_PURPOSES.map((purpose) => {
    const latest = records
      .filter((r) => r.purpose === purpose)
      .reduce<ConsentDecision | undefined>((newest, r) => (!newest || r.recordedAt.getTime() >= newest.recordedAt.getTime() ? r : newest), undefined);
    const currentVersion = versions[purpose];
    if (!latest) return { purpose, answer: 'not-answered', textVersion: null, recordedAt: null, currentVersion, outdated: false };
    return {
      purpose,
      answer: latest.granted ? 'given' : 'withdrawn',
      textVersion: latest.textVersion,
      recordedAt: latest.recordedAt,
      currentVersion,
      outdated: latest.granted && latest.textVersion !== currentVersion,
    };
  });
}

/** Whether a new decision changes anything: the same answer to the same wording is not recorded twice. */
export function isNewDecision(current: ConsentState, granted: boolean, textVersion: string): boolean {
  if (current.answer === 'not-answered') return true;
  return (current.answer === 'given') !== granted || current.textVersion !== textVersion;
}
