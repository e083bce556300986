import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import type { Locale } from '@libs/i18n';
import { MailOutbox } from '@libs/mail/mail-outbox';

/** The e-mails Membership sends itself (they carry one-time links that exist only in this transaction). */
@Injectable()
export class MembershipMailer {
  constructor(private readonly config: AppConfig) {}

  link(path: string): string {
    return `${this.config.baseUrl}${path}`;
  }

  async queue(em: EntityManager, key: string, to: string, locale: Locale, template: string, data: Record<string, unknown>): Promise<void> {
    await MailOutbox.queue(em, {
      key,
      to,
      locale,
      template: `membership/${template}`,
      data: { communityName: this.config.communityName, baseUrl: this.config.baseUrl, ...data },
    });
  }
}
