import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { GetConsentStateQuery, PrivacyEvents, type ConsentChangedEvent } from '@modules/privacy/contracts';

/**
 * Withdrawing consent to the community purpose hides the member from other members (directory, search, profile page);
 * giving it again shows them. Runs once per event (runOnce). The profile row is locked first and the CURRENT answer is
 * read from Privacy after the lock, so events handled out of order or at once still end with the newest answer.
 * No answer at all counts as listed: joining the community is consent to it.
 */
@Injectable()
@OnIntegrationEvent(PrivacyEvents.consentChanged)
export class UpdateListingOnConsentChangedHandler implements IntegrationEventHandler<ConsentChangedEvent> {
  constructor(private readonly queries: QueryBus) {}

  async handle(event: ConsentChangedEvent, tx: EntityManager): Promise<void> {
    if (event.purpose !== 'community') return;
    const locked = await tx.execute<{ member_id: string }[]>('select member_id from membership.profile where member_id = ? for update', [event.memberId]);
    if (locked.length === 0) return;
    const state = await this.queries.execute(new GetConsentStateQuery(event.memberId));
    const listed = state.find((s) => s.purpose === 'community')?.answer !== 'withdrawn';
    await tx.execute('update membership.profile set listed = ? where member_id = ? and listed is distinct from ?', [listed, event.memberId, listed]);
  }
}
