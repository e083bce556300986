import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { MailOutbox } from '@libs/mail/mail-outbox';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { GetAccountQuery, MembershipEvents, type ApplicationDecidedEvent } from '@modules/membership/contracts';

/** Tells the applicant the operator's decision by e-mail, in their language. */
@Injectable()
@OnIntegrationEvent(MembershipEvents.applicationDecided)
export class SendDecisionMailOnApplicationDecidedHandler implements IntegrationEventHandler<ApplicationDecidedEvent> {
  constructor(
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  async handle(event: ApplicationDecidedEvent, tx: EntityManager): Promise<void> {
    const account = await this.queries.execute(new GetAccountQuery(event.memberId));
    await MailOutbox.queue(tx, {
      key: `application-decided:${event.memberId}`,
      to: account.email,
      locale: account.locale ?? 'ja',
      template: event.decision === 'approve' ? 'notifications/application-approved' : 'notifications/application-declined',
      data: {
        name: account.displayName,
        reason: account.declineReason ?? '',
        communityName: this.config.communityName,
        url: `${this.config.baseUrl}/login`,
      },
    });
  }
}
