import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { Access } from '@libs/security/access.decorator';

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

  @Get()
  @Access('admin')
  @Render('admin/dev-mail')
  async list() {
    this.ensureLocal();
    const messages = await this.em.find(MailMessage, {}, { orderBy: { createdAt: 'desc' }, limit: 100, fields: ['id', 'to', 'subject', 'createdAt', 'sentAt', 'template', 'locale'] });
    return { title: 'admin.devMail.title', messages, section: 'mail' };
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
