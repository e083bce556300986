import {
  Controller,
  Get,
  Injectable,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Render,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FileInterceptor } from '@nestjs/platform-express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from '@libs/ddd';
import { messageCatalog } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { pageLinks } from '@libs/web/pagination';
import {
  ConfirmRosterImportCommand,
  DiscardRosterImportCommand,
  GetRosterImportQuery,
  ListRosterImportsQuery,
  PreviewRosterImportCommand,
  ROSTER_CHANGE_KINDS,
  ROSTER_FILE_MAX_BYTES,
  ROSTER_TOO_LARGE_MESSAGE,
} from '@modules/membership/contracts';
import { RosterImportListQuery } from './roster-import.request';

const uuid = () => new ParseUUIDPipe({ errorHttpStatusCode: 404 });
const MAX_MB = ROSTER_FILE_MAX_BYTES / (1024 * 1024);
const MAX_ROWS = 100_000;

/** Columns of the roster file, as the format table on the upload page lists them. */
const FORMAT = [
  { column: 'employeeNumber', label: '社員番号', header: 'employee_number', required: true },
  { column: 'familyName', label: '姓', header: 'family_name', required: true },
  { column: 'givenName', label: '名', header: 'given_name', required: true },
  { column: 'familyNameKana', label: 'セイ', header: 'family_name_kana', required: false },
  { column: 'givenNameKana', label: 'メイ', header: 'given_name_kana', required: false },
  { column: 'email', label: 'メールアドレス', header: 'email', required: true },
  { column: 'department', label: '部署', header: 'department', required: false },
  { column: 'position', label: '役職', header: 'position', required: false },
  { column: 'hiredOn', label: '入社日', header: 'hired_on', required: false },
  { column: 'leftOn', label: '退職日', header: 'left_on', required: false },
];

const Upload = FileInterceptor('file', { limits: { fileSize: ROSTER_FILE_MAX_BYTES, files: 1, fields: 5 }, defParamCharset: 'utf8' });

/**
 * Reads the multipart upload into memory, up to the roster limit. A bigger file gets the roster's own message on the
 * file field (the form comes back), not the generic "too large" page.
 */
@Injectable()
export class RosterFileInterceptor implements NestInterceptor {
  private readonly upload = new Upload();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.upload.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw new DomainError(ROSTER_TOO_LARGE_MESSAGE, { status: 413, field: 'file', params: { mb: MAX_MB } });
      throw error;
    }
  }
}

/** HR roster import (人事データ取込) in the HR console: upload for a preview, confirm, follow the job. Admins only. */
@ApiExcludeController()
@Controller('admin/roster-imports')
export class RosterImportPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('admin')
  @Render('admin/roster-imports')
  async list(@Query() query: RosterImportListQuery, @Req() req: Request) {
    const result = await this.queries.execute(new ListRosterImportsQuery(req.user as Viewer, query.page ?? 1));
    return {
      title: 'membership.roster.title',
      result,
      pager: pageLinks('/admin/roster-imports', {}, result.page, result.pages),
      format: FORMAT,
      maxMb: MAX_MB,
      maxRows: MAX_ROWS.toLocaleString(req.locale === 'en' ? 'en' : 'ja'),
      isAdmin: true,
      section: 'roster',
    };
  }

  @Post()
  @FormPage('/admin/roster-imports')
  @Access('admin')
  @UseInterceptors(RosterFileInterceptor)
  async upload(@UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { importId } = await this.commands.execute(new PreviewRosterImportCommand(req.user as Viewer, file?.originalname ?? '', file?.buffer ?? null));
    flash(req, 'info', 'membership.roster.upload.previewed');
    res.redirect(303, `/admin/roster-imports/${importId}`);
  }

  @Get(':id')
  @Access('admin')
  @Render('admin/roster-import')
  async detail(@Param('id', uuid()) id: string, @Req() req: Request) {
    const upload = await this.queries.execute(new GetRosterImportQuery(req.user as Viewer, id));
    const catalog = messageCatalog();
    const t = (key: string, params?: Record<string, unknown>) => catalog.t(req.locale, key, params);
    return {
      title: 'membership.roster.detail.title',
      upload,
      kinds: ROSTER_CHANGE_KINDS.map((kind) => ({ kind, planned: upload.planned[kind], applied: upload.applied?.[kind] ?? null })),
      issues: upload.issues.map((issue) => ({
        line: issue.line,
        column: issue.columnKey ? t(issue.columnKey) : null,
        message: t(issue.messageKey, issue.params),
      })),
      moreIssues: upload.issueCount > upload.issues.length,
      moreChanges: ROSTER_CHANGE_KINDS.some((kind) => kind !== 'unchanged' && upload.planned[kind] > upload.changesLimit),
      sizeKb: Math.max(1, Math.ceil(upload.fileSize / 1024)).toLocaleString(req.locale === 'en' ? 'en' : 'ja'),
      isAdmin: true,
      section: 'roster',
    };
  }

  @Post(':id/confirm')
  @FormPage('/admin/roster-imports/:id')
  @Access('admin')
  async confirm(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ConfirmRosterImportCommand(req.user as Viewer, id));
    flash(req, 'success', 'membership.roster.confirm.started');
    res.redirect(303, `/admin/roster-imports/${id}`);
  }

  @Post(':id/discard')
  @FormPage('/admin/roster-imports/:id')
  @Access('admin')
  async discard(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DiscardRosterImportCommand(req.user as Viewer, id));
    flash(req, 'success', 'membership.roster.discard.done');
    res.redirect(303, '/admin/roster-imports');
  }
}
