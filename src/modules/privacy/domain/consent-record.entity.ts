import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ConsentPurpose } from '../contracts/views';

/**
 * One decision a member made about one purpose: given or withdrawn, with the exact text they were shown.
 * Records are only ever added; the newest per purpose is the member's current answer.
 */
@Entity({ schema: 'privacy', tableName: 'consent_record' })
@Index({ name: 'consent_record_member_purpose_idx', properties: ['memberId', 'purpose', 'recordedAt'] })
export class ConsentRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  memberId: string;

  @Property({ type: 'text' })
  purpose: ConsentPurpose;

  @Property({ type: 'boolean' })
  granted: boolean;

  /** Version of the purpose's text, e.g. `2026-11`. */
  @Property({ type: 'text' })
  textVersion: string;

  @Property({ type: 'text' })
  textLocale: 'ja' | 'en';

  /** The wording shown when the decision was made, kept verbatim. */
  @Property({ type: 'text' })
  text: string;

  /** How it was recorded: by the member on their privacy page, or when their account was deleted. */
  @Property({ type: 'text' })
  source: 'member' | 'account-deleted';

  @Property({ type: 'datetime' })
  recordedAt: Date = new Date();

  constructor(input: { memberId: string; purpose: ConsentPurpose; granted: boolean; textVersion: string; textLocale: 'ja' | 'en'; text: string; source: ConsentRecord['source'] }) {
    this.memberId = input.memberId;
    this.purpose = input.purpose;
    this.granted = input.granted;
    this.textVersion = input.textVersion;
    this.textLocale = input.textLocale;
    this.text = input.text;
    this.source = input.source;
  }
}
