import type { EntityManager } from '@mikro-orm/postgresql';
import { Outbox } from '@libs/outbox/outbox';
import { MAIL_QUEUE } from '@libs/queue/queue-names';
import type { Locale } from '@libs/i18n';
import { MailMessage } from './mail-message.entity';
import { MailRenderer } from './mail-renderer';

let renderer: MailRenderer | undefined;

/**
 * Queues an e-mail in the caller's transaction. The same `key` never queues twice, so a retried command or job
 * cannot mail twice.
 */
export const MailOutbox = {
  async queue(
    em: EntityManager,
    mail: { key: string; to: string; locale: Locale; template: string; data: Record<string, unknown> },
  ): Promise<MailMessage | null> {
    const existing = await em.findOne(MailMessage, { key: mail.key });
    if (existing) return null;
    renderer ??= new MailRenderer();
    const rendered = renderer.render(mail.template, mail.locale, mail.data);
    const message = new MailMessage({ key: mail.key, template: mail.template, locale: mail.locale, to: mail.to, ...rendered });
    em.persist(message);
    Outbox.enqueue(em, { queue: MAIL_QUEUE, name: 'send', payload: { messageId: message.id }, jobId: `mail-${message.id}` });
    return message;
  },
};
