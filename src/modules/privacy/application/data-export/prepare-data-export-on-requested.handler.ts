import { Injectable } from '@nestjs/common';
import { QueryBus, type Query } from '@nestjs/cqrs';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { PersonalDataRegistry } from '@libs/personal-data';
import type { Locale } from '@libs/i18n';
import { MailOutbox } from '@libs/mail/mail-outbox';
import { INTEGRATION_EVENTS_QUEUE } from '@libs/queue/queue-names';
import { integrationEvent, Outbox } from '@libs/outbox';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { GetMemberContactQuery, GetPersonalDataQuery } from '@modules/membership/contracts';
import { currentConsent } from '../../domain/consent';
import { ConsentRecord } from '../../domain/consent-record.entity';
import { DataExport } from '../../domain/data-export.entity';
import { buildExportDocument, serializeExport } from '../../domain/export-document';
import { toRecordView } from '../consent/consent.handlers';
import { DataExportEvents, type DataExportRequestedEvent } from './data-export.events';

function formatDateTime(d: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(d);
}

/**
 * The worker gathers everything held about the member — Membership's part through its contracts, every other
 * module's registered section (libs/personal-data), Privacy's own consent history and earlier exports — stores the document, and mails the member a link (valid seven days). Runs once
 * per request (runOnce key), and only while the export is still `requested`. It also schedules the erasure of the
 * content at expiry.
 */
@Injectable()
@OnIntegrationEvent(DataExportEvents.requested)
export class PrepareDataExportOnRequestedHandler implements IntegrationEventHandler<DataExportRequestedEvent> {
  constructor(
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
    private readonly sections: PersonalDataRegistry,
  ) {}

  async handle(event: DataExportRequestedEvent, tx: EntityManager): Promise<void> {
    const found = await tx.findOne(DataExport, { id: event.exportId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!found || found.state !== 'requested') return;
    const contact = await this.queries.execute(new GetMemberContactQuery(found.memberId));
    if (!contact) {
      // The account was deleted in the meantime: nothing to prepare, nobody to tell.
      found.markFailed();
      return;
    }
    const membership = await this.queries.execute(new GetPersonalDataQuery(found.memberId));
    // What every other module holds about the member (forum, chat, content, …), each under its own key.
    const modules: Record<string, unknown> = {};
    for (const section of this.sections.all()) modules[section.key] = await this.queries.execute(section.query(found.memberId) as Query<unknown>);
    const records = await tx.find(ConsentRecord, { memberId: found.memberId }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
    const earlier = await tx.find(DataExport, { memberId: found.memberId, id: { $ne: found.id } }, { orderBy: { requestedAt: 'asc' } });

    const now = new Date();
    const content = buildExportDocument({
      memberId: found.memberId,
      communityName: this.config.communityName,
      generatedAt: now,
      membership,
      modules,
      consent: { current: currentConsent(records), history: records.map(toRecordView) },
      dataExports: earlier.map((e) => ({ exportId: e.id, state: e.stateAt(now), requestedAt: e.requestedAt, readyAt: e.readyAt ?? null, downloadedAt: e.downloadedAt ?? null })),
    });
    found.markReady(content, Buffer.byteLength(serializeExport(content)), now);
    const expiresAt = found.expiresAt as Date;

    const locale = contact.locale ?? this.config.defaultLocale;
    await MailOutbox.queue(tx, {
      key: `data-export-ready:${found.id}`,
      to: contact.email,
      locale,
      template: 'privacy/data-export-ready',
      data: {
        name: contact.displayName,
        communityName: this.config.communityName,
        url: `${this.config.baseUrl}/account/data-exports/${found.id}/download`,
        pageUrl: `${this.config.baseUrl}/account/data`,
        expiresAt: formatDateTime(expiresAt, locale),
      },
    });
    // The content is erased when the link runs out, by a delayed job (and on any read after that).
    const expiry = integrationEvent(DataExportEvents.expiryDue, { exportId: found.id });
    Outbox.enqueue(tx, { queue: INTEGRATION_EVENTS_QUEUE, name: expiry.type, payload: { ...expiry }, jobId: `evt-${expiry.eventId}`, runAt: expiresAt });
  }
}
