import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { CSV_BOM, toCsvRow } from '@libs/csv/csv-writer';
import { messageCatalog } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import { requestIdOf } from '@libs/web/request-id';
import type { Viewer } from '@libs/security/access-policy';
import { DIRECTORY_EXPORT_RESTRICTED_FIELDS, ExportDirectoryQuery, type DirectoryExportFilter } from '@modules/membership/contracts';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import { csvDateTime, exportCells, exportFileName, exportHeader } from './member-export.csv';
import { MemberExportRequest } from './member-export.request';

/** Members per batch: one index range scan each, a few hundred kilobytes of CSV. */
const BATCH = 1000;

class DownloadInterrupted extends Error {
  constructor() {
    super('the download was interrupted');
  }
}

/** Writes a chunk, waiting while the client's socket is full; fails when the client went away. */
function write(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new DownloadInterrupted());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (fn: () => void) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      fn();
    };
    const onDrain = settle(resolve);
    const onClose = settle(() => reject(new DownloadInterrupted()));
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** The filters that were given, for the audit log. */
function givenFilters(filter: DirectoryExportFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
}

/**
 * HR admins download the member list as CSV (Excel-ready: UTF-8 with BOM, CRLF, formula cells neutralised), with
 * the list's filters. Rows are streamed batch by batch; each download is recorded in the audit log with its filters
 * and the number of rows, also when it fails half-way (detail.failed). A download that cannot be recorded is cut off.
 */
@ApiExcludeController()
@Controller('admin/members')
export class MemberExportController {
  private readonly logger = new Logger(MemberExportController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('export.csv')
  @Access('admin')
  async export(@Query() query: MemberExportRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const filter: DirectoryExportFilter = { q: query.q, status: query.status, role: query.role, contact: query.contact };
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const catalog = messageCatalog();
    const t = (key: string) => catalog.t(req.locale, key);
    const context = {
      label: (prefix: string, value: string) => (catalog.has(req.locale, `${prefix}.${value}`) ? t(`${prefix}.${value}`) : value),
      dateTime: csvDateTime(timeZone),
    };

    // The first batch comes before any byte is sent, so that a refusal is still an ordinary error page.
    let batch = await this.queries.execute(new ExportDirectoryQuery(viewer, filter, null, BATCH));
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(new Date(), timeZone)}"`);
    res.setHeader('Cache-Control', 'no-store');

    let rows = 0;
    let failure: unknown;
    try {
      await write(res, CSV_BOM + toCsvRow(exportHeader(t)));
      for (;;) {
        await write(res, batch.rows.map((r) => toCsvRow(exportCells(r, context))).join(''));
        rows += batch.rows.length;
        if (!batch.next) break;
        batch = await this.queries.execute(new ExportDirectoryQuery(viewer, filter, batch.next, BATCH));
      }
    } catch (e) {
      failure = e;
    }

    // Recorded once every row is sent but before the file ends: a download is complete only once it is in the log.
    const detail: Record<string, unknown> = { filters: givenFilters(filter), rows };
    if (failure) detail.failed = failure instanceof DownloadInterrupted ? 'interrupted' : 'error';
    try {
      await this.commands.execute(
        new RecordAuditEventCommand(viewer, 'directory.exported', { fields: [...DIRECTORY_EXPORT_RESTRICTED_FIELDS], detail, requestId: requestIdOf(req) }),
      );
    } catch (e) {
      this.logger.error({ err: e, rows }, 'the directory export could not be recorded in the audit log');
      failure ??= e;
    }
    if (!failure) {
      res.end();
      return;
    }
    if (!(failure instanceof DownloadInterrupted)) this.logger.error({ err: failure, rows }, 'the directory export failed');
    // The client must not take a cut file for a complete one: the connection is dropped, not ended.
    res.destroy();
  }
}
