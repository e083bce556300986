import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { containsPattern } from '@libs/search/japanese-text';
import { Access } from '@libs/security/access.decorator';
import { pageLinks } from '@libs/web/pagination';
import { DevMailListQuery } from './dev-mail.request';

export const DEV_MAIL_PAGE_SIZE = 50;

/** Without SMTP_URL, mail stays in the local outbox; admins read it here. The page does not exist once SMTP is set. */
@ApiExcludeController()
@Controller('dev/mail')
export class DevMailPageController {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  private ensureLocal(): void {
    if (!this.config.localMail) throw new NotFoundException();
  }

  /** Newest first, a page at a time; `to` keeps the mails whose recipient contains it (case-insensitive). */
  @Get()
  @Access('admin')
  @Render('admin/dev-mail')
  async list(@Query() query: DevMailListQuery) {
    this.ensureLocal();
    const to = query.to?.trim() ?? '';
    const where = to ? { to: { $ilike: containsPattern(to) } } : {};
    const total = await this.em.count(MailMessage, where);
    const pages = Math.max(1, Math.ceil(total / DEV_MAIL_PAGE_SIZE));
    const page = Math.min(query.page ?? 1, pages);
    const messages = await this.em.find(MailMessage, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: DEV_MAIL_PAGE_SIZE,
      offset: (page - 1) * DEV_MAIL_PAGE_SIZE,
      fields: ['id', 'to', 'subject', 'createdAt', 'sentAt', 'template', 'locale'],
    });
    return {
      title: 'admin.devMail.title',
      messages,
      query: { to },
      total,
      page,
      pages,
      pageSize: DEV_MAIL_PAGE_SIZE,
      pager: pageLinks('/dev/mail', { to: to || undefined }, page, pages),
      section: 'mail',
    };
  }

  @Get(':id')
  @Access('admin')
  @Render('admin/dev-mail-message')
  async show(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string) {
    this.ensureLocal();
    const message = await this.em.findOne(MailMessage, { id });
    if (!message) throw new NotFoundException();
    return { title: 'admin.devMail.title', message, section: 'mail' };
  }
}
