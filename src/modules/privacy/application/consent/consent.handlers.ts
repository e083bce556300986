import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@libs/ddd';
import { integrationEvent, Outbox } from '@libs/outbox';
import {
  GetConsentHistoryQuery,
  GetConsentStateQuery,
  GetConsentTextsQuery,
  ListConsentingMembersQuery,
  PrivacyEvents,
  RecordConsentCommand,
  type ConsentRecordView,
  type ConsentStateView,
  type ConsentTextView,
} from '../../contracts';
import { currentConsent, isNewDecision } from '../../domain/consent';
import { consentText, consentTexts, isConsentPurpose } from '../../domain/consent-text';
import { ConsentRecord } from '../../domain/consent-record.entity';
import { ConsentTextChangedError } from '../../domain/privacy.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Serialises one member's consent decisions, so two answers sent at once cannot both be "new". */
async function lockMember(tx: EntityManager, memberId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended('privacy.consent:' || ?, 0))`, [memberId]);
}

export function toRecordView(r: ConsentRecord): ConsentRecordView {
  return {
    id: r.id,
    purpose: r.purpose,
    granted: r.granted,
    textVersion: r.textVersion,
    textLocale: r.textLocale,
    text: r.text,
    source: r.source,
    recordedAt: r.recordedAt,
  };
}

/** A decision is recorded with the wording the member read, verbatim, in the language they read it in. */
@CommandHandler(RecordConsentCommand)
export class RecordConsentHandler implements ICommandHandler<RecordConsentCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, purpose, granted, textVersion, locale }: RecordConsentCommand): Promise<{ recorded: boolean }> {
    if (!isConsentPurpose(purpose)) throw new DomainError('validation.isIn', { status: 400, field: 'purpose' });
    const text = consentText(purpose, locale);
    if (text.version !== textVersion) throw new ConsentTextChangedError();
    return this.em.transactional(async (tx) => {
      await lockMember(tx, memberId);
      const records = await tx.find(ConsentRecord, { memberId, purpose });
      const [current] = currentConsent(records).filter((c) => c.purpose === purpose);
      if (!isNewDecision(current, granted, text.version)) return { recorded: false };
      tx.persist(new ConsentRecord({ memberId, purpose, granted, textVersion: text.version, textLocale: locale, text: text.text, source: 'member' }));
      // Only a change of answer is news for other modules (a renewal to a newer text version is not).
      if ((current.answer === 'given') !== granted || current.answer === 'not-answered') {
        Outbox.publish(tx, integrationEvent(PrivacyEvents.consentChanged, { memberId, purpose, granted }));
      }
      return { recorded: true };
    });
  }
}

@QueryHandler(GetConsentTextsQuery)
export class GetConsentTextsHandler implements IQueryHandler<GetConsentTextsQuery> {
  execute({ locale }: GetConsentTextsQuery): Promise<ConsentTextView[]> {
    return Promise.resolve(consentTexts(locale).map((t) => ({ purpose: t.purpose, version: t.version, locale: t.locale, title: t.title, text: t.text })));
  }
}

@QueryHandler(GetConsentStateQuery)
export class GetConsentStateHandler implements IQueryHandler<GetConsentStateQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetConsentStateQuery): Promise<ConsentStateView[]> {
    if (!UUID.test(memberId)) return currentConsent([]);
    return currentConsent(await this.em.find(ConsentRecord, { memberId }));
  }
}

@QueryHandler(GetConsentHistoryQuery)
export class GetConsentHistoryHandler implements IQueryHandler<GetConsentHistoryQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetConsentHistoryQuery): Promise<ConsentRecordView[]> {
    if (!UUID.test(memberId)) return [];
    const records = await this.em.find(ConsentRecord, { memberId }, { orderBy: { recordedAt: 'desc', id: 'desc' } });
    return records.map(toRecordView);
  }
}

const MAX_PAGE = 1000;

/** Members whose newest decision for the purpose is "given", in member id order. */
@QueryHandler(ListConsentingMembersQuery)
export class ListConsentingMembersHandler implements IQueryHandler<ListConsentingMembersQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ purpose, options }: ListConsentingMembersQuery): Promise<{ memberIds: string[]; next: string | null }> {
    if (!isConsentPurpose(purpose)) return { memberIds: [], next: null };
    const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 200)), MAX_PAGE);
    const where = ['purpose = ?'];
    const params: unknown[] = [purpose];
    if (options.memberIds) {
      const ids = options.memberIds.filter((id) => UUID.test(id));
      if (ids.length === 0) return { memberIds: [], next: null };
      where.push('member_id in (?)');
      params.push(ids);
    }
    if (options.after && UUID.test(options.after)) {
      where.push('member_id > ?');
      params.push(options.after);
    }
    const rows = await this.em.execute<{ member_id: string }[]>(
      `select member_id from (
         select distinct on (member_id) member_id, granted
           from privacy.consent_record where ${where.join(' and ')}
          order by member_id, recorded_at desc, id desc
       ) latest where granted order by member_id limit ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit).map((r) => r.member_id);
    return { memberIds: page, next: rows.length > limit ? page[page.length - 1] : null };
  }
}
