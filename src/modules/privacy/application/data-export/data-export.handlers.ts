import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import {
  DownloadDataExportCommand,
  ListDataExportsQuery,
  RequestDataExportCommand,
  type DataExportView,
} from '../../contracts';
import { DATA_EXPORT_STALE_AFTER_MS, DataExport } from '../../domain/data-export.entity';
import { exportFileName, serializeExport } from '../../domain/export-document';
import { DataExportInPreparationError, DataExportNotFoundError } from '../../domain/privacy.errors';
import { DataExportEvents } from './data-export.events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The export row and the job that prepares it are written in one transaction. One export in preparation per member:
 * requests are serialised per member, and exports that expired or got stuck are tidied first.
 */
@CommandHandler(RequestDataExportCommand)
export class RequestDataExportHandler implements ICommandHandler<RequestDataExportCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: RequestDataExportCommand): Promise<{ exportId: string }> {
    return this.em.transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended('privacy.data-export:' || ?, 0))`, [memberId]);
      const exports = tx.getRepository(DataExport);
      await exports.eraseExpired({ memberId, staleAfterMs: DATA_EXPORT_STALE_AFTER_MS });
      if ((await exports.countInPreparation(memberId)) > 0) throw new DataExportInPreparationError();
      const created = new DataExport(memberId);
      tx.persist(created);
      Outbox.publish(tx, integrationEvent(DataExportEvents.requested, { exportId: created.id, memberId }));
      return { exportId: created.id };
    });
  }
}

export function toExportView(e: DataExport, now = new Date()): DataExportView {
  return {
    exportId: e.id,
    state: e.stateAt(now),
    requestedAt: e.requestedAt,
    readyAt: e.readyAt ?? null,
    expiresAt: e.expiresAt ?? null,
    sizeBytes: e.sizeBytes ?? null,
    downloadedAt: e.downloadedAt ?? null,
  };
}

@QueryHandler(ListDataExportsQuery)
export class ListDataExportsHandler implements IQueryHandler<ListDataExportsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: ListDataExportsQuery): Promise<DataExportView[]> {
    if (!UUID.test(memberId)) return [];
    const now = new Date();
    const rows = await this.em.find(DataExport, { memberId }, { orderBy: { requestedAt: 'desc', id: 'desc' }, limit: 10 });
    return rows.map((e) => toExportView(e, now));
  }
}

/**
 * Only the owner, only a ready export before it expires. An expired one has its content erased right here (before the
 * refusal), whether or not the timed erasure has run yet.
 */
@CommandHandler(DownloadDataExportCommand)
export class DownloadDataExportHandler implements ICommandHandler<DownloadDataExportCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId, exportId }: DownloadDataExportCommand): Promise<{ fileName: string; json: string; sizeBytes: number }> {
    if (!UUID.test(exportId)) throw new DataExportNotFoundError();
    const found = await this.em.findOne(DataExport, { id: exportId, memberId }, { populate: ['content'] });
    if (!found) throw new DataExportNotFoundError();
    if (found.stateAt() === 'expired' && found.state === 'ready') await this.em.getRepository(DataExport).eraseExpired({ exportId });
    const content = found.download();
    await this.em.flush();
    const json = serializeExport(content);
    return { fileName: exportFileName(found.readyAt ?? new Date()), json, sizeBytes: Buffer.byteLength(json) };
  }
}
