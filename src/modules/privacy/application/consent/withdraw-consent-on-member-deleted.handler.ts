import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { MembershipEvents, type MemberDeletedEvent } from '@modules/membership/contracts';
import { ConsentRecord } from '../../domain/consent-record.entity';

/**
 * A deleted account withdraws every consent still given. The history stays: it is the record of what the member agreed
 * to and when, and it holds nothing about them but their id. The withdrawal names the wording it withdraws.
 */
@Injectable()
@OnIntegrationEvent(MembershipEvents.memberDeleted)
export class WithdrawConsentOnMemberDeletedHandler implements IntegrationEventHandler<MemberDeletedEvent> {
  async handle(event: MemberDeletedEvent, tx: EntityManager): Promise<void> {
    const latest = await tx.execute<{ id: string }[]>(
      `select id from (
         select distinct on (purpose) id, granted from privacy.consent_record
          where member_id = ? order by purpose, recorded_at desc, id desc
       ) latest where granted`,
      [event.memberId],
    );
    if (latest.length === 0) return;
    const given = await tx.find(ConsentRecord, { id: { $in: latest.map((r) => r.id) } });
    for (const record of given) {
      tx.persist(
        new ConsentRecord({
          memberId: record.memberId,
          purpose: record.purpose,
          granted: false,
          textVersion: record.textVersion,
          textLocale: record.textLocale,
          text: record.text,
          source: 'account-deleted',
        }),
      );
    }
  }
}
