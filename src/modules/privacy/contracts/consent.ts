// Consent per purpose: commands, queries and views.
import { Command, Query } from '@nestjs/cqrs';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { ConsentPurpose } from './views';

export type ConsentAnswer = 'not-answered' | 'given' | 'withdrawn';

export const PrivacyEvents = {
  consentChanged: 'privacy.consent-changed',
} as const;

/**
 * A member's answer for a purpose changed (given or withdrawn; published with the record, through the outbox).
 * Reactions should read the current answer (GetConsentStateQuery) rather than trust `granted`, since two changes
 * may be handled out of order. What withdrawing 'community' means: the member is hidden from other members.
 */
export interface ConsentChangedEvent extends IntegrationEvent {
  type: typeof PrivacyEvents.consentChanged;
  memberId: string;
  purpose: ConsentPurpose;
  granted: boolean;
}

/** A purpose's wording as it is today, in one language. */
export interface ConsentTextView {
  purpose: ConsentPurpose;
  version: string;
  locale: 'ja' | 'en';
  title: string;
  text: string;
}

/** A member's current answer for one purpose: the newest record wins. */
export interface ConsentStateView {
  purpose: ConsentPurpose;
  answer: ConsentAnswer;
  /** Version of the text the answer was given to (null when not answered). */
  textVersion: string | null;
  recordedAt: Date | null;
  /** The version shown today. */
  currentVersion: string;
  /** Consent was given to an older version of the text than today's. */
  outdated: boolean;
}

/** One entry of the history, exactly as recorded. */
export interface ConsentRecordView {
  id: string;
  purpose: ConsentPurpose;
  granted: boolean;
  textVersion: string;
  textLocale: 'ja' | 'en';
  text: string;
  source: 'member' | 'account-deleted';
  recordedAt: Date;
}

/**
 * The member gives (`granted`) or withdraws consent for a purpose, to the text version they were shown (refused when
 * the text changed in between). Answering the same again to the same version records nothing new.
 */
export class RecordConsentCommand extends Command<{ recorded: boolean }> {
  constructor(
    readonly memberId: string,
    readonly purpose: ConsentPurpose,
    readonly granted: boolean,
    readonly textVersion: string,
    readonly locale: 'ja' | 'en',
  ) {
    super();
  }
}

/** Today's text of every purpose, in `locale`. */
export class GetConsentTextsQuery extends Query<ConsentTextView[]> {
  constructor(readonly locale: 'ja' | 'en') {
    super();
  }
}

/** A member's current answer for every purpose (in CONSENT_PURPOSES order). */
export class GetConsentStateQuery extends Query<ConsentStateView[]> {
  constructor(readonly memberId: string) {
    super();
  }
}

/** Every decision a member made, newest first. */
export class GetConsentHistoryQuery extends Query<ConsentRecordView[]> {
  constructor(readonly memberId: string) {
    super();
  }
}

/**
 * Members whose current answer for `purpose` is "given" (for recruiting's talent pool, business matching…), in member
 * id order, a page at a time (`after` = the last id of the previous page). With `memberIds`, only those are checked.
 */
export class ListConsentingMembersQuery extends Query<{ memberIds: string[]; next: string | null }> {
  constructor(
    readonly purpose: ConsentPurpose,
    readonly options: { memberIds?: string[]; after?: string; limit?: number } = {},
  ) {
    super();
  }
}
