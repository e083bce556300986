import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { requestIdOf } from '@libs/web/request-id';
import { DownloadDataExportCommand, ListDataExportsQuery, RecordAuditEventCommand, RequestDataExportCommand } from '../contracts';
import { DATA_EXPORT_LIFETIME_DAYS } from '../domain/data-export.entity';
import { DataExportUnavailableError } from '../domain/privacy.errors';

const STATE_BADGE = { requested: 'pending', ready: 'employee', expired: 'suspended', failed: 'suspended' } as const;

/** 12 345 bytes → "12.1 KB". */
export function sizeLabel(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** /account/data: the member asks for a copy of their data, and downloads it while the link works. */
@ApiExcludeController()
@Controller('account')
export class DataExportPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('data')
  @Access('signed-in')
  @Render('privacy/data')
  async page(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const exports = await this.queries.execute(new ListDataExportsQuery(viewer.memberId));
    return {
      title: 'privacy.data.title',
      section: 'data',
      isMember: AccessPolicy.isMember(viewer),
      days: DATA_EXPORT_LIFETIME_DAYS,
      inPreparation: exports.some((e) => e.state === 'requested'),
      exports: exports.map((e) => ({ ...e, badge: STATE_BADGE[e.state], size: sizeLabel(e.sizeBytes), downloadable: e.state === 'ready' })),
    };
  }

  @Post('data/exports')
  @FormPage('/account/data')
  @Access('signed-in')
  async request(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new RequestDataExportCommand((req.user as Viewer).memberId));
    flash(req, 'success', 'privacy.data.requested');
    res.redirect(303, '/account/data');
  }

  @Get('data-exports/:id/download')
  @Access('signed-in')
  async download(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    let file: { fileName: string; json: string; sizeBytes: number };
    try {
      file = await this.commands.execute(new DownloadDataExportCommand(viewer.memberId, id));
    } catch (e) {
      if (!(e instanceof DataExportUnavailableError)) throw e;
      res.status(e.status).render('privacy/export-unavailable', { title: 'privacy.export.unavailable.heading', isMember: AccessPolicy.isMember(viewer), reason: e.reason });
      return;
    }
    await this.commands.execute(
      new RecordAuditEventCommand(viewer, 'personal-data.exported', {
        subject: { id: viewer.memberId, name: viewer.displayName },
        detail: { exportId: id, sizeBytes: file.sizeBytes },
        requestId: requestIdOf(req),
      }),
    );
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.json);
  }
}
