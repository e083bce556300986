import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { MembershipEvents, type MemberDeletedEvent } from '@modules/membership/contracts';
import { DataExport } from '../../domain/data-export.entity';
import { DataExportEvents, type DataExportExpiryDueEvent } from './data-export.events';

/** The link ran out: the document is erased (the row stays, as `expired`, without content). */
@Injectable()
@OnIntegrationEvent(DataExportEvents.expiryDue)
export class EraseDataExportOnExpiryDueHandler implements IntegrationEventHandler<DataExportExpiryDueEvent> {
  async handle(event: DataExportExpiryDueEvent, tx: EntityManager): Promise<void> {
    const found = await tx.findOne(DataExport, { id: event.exportId });
    // A delayed job can start a moment early (clocks differ): failing makes BullMQ try again a little later.
    if (found?.state === 'ready' && found.expiresAt && found.expiresAt > new Date()) throw new Error(`data export ${found.id} is not due yet`);
    await tx.getRepository(DataExport).eraseExpired({ exportId: event.exportId });
  }
}

/** A deleted account keeps no export: every document is erased, and one being prepared never will be. */
@Injectable()
@OnIntegrationEvent(MembershipEvents.memberDeleted)
export class EraseDataExportsOnMemberDeletedHandler implements IntegrationEventHandler<MemberDeletedEvent> {
  async handle(event: MemberDeletedEvent, tx: EntityManager): Promise<void> {
    await tx.getRepository(DataExport).eraseAllOf(event.memberId);
  }
}
