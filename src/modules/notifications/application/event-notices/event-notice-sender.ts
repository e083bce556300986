import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { messageCatalog, type Locale } from '@libs/i18n';
import { MailOutbox } from '@libs/mail/mail-outbox';
import { GetEventSummaryQuery, type EventSummaryView } from '@modules/events/contracts';
import { SiteNotifier } from '../site-notifications/site-notifier';
import { formatEventTimes, readerTimeZone } from './event-times';
import { notifiableAccount } from '../site-notifications/notifiable-account';

export interface Recipient {
  memberId: string;
  email: string;
  locale: Locale;
  name: string;
  timeZone: string;
}

export interface EventNotice {
  memberId: string;
  event: EventSummaryView;
  /** Site notification kind (notifications.kinds.<kind>) and its params (title and startsAt are added). */
  kind: string;
  params?: Record<string, string | number>;
  /** The fact told, for the notification's and the mail's keys. */
  key: string;
  /** Mail template under notifications/ and its data (name, title, when, place, url are added); none for site only. */
  mail?: { template: string; data?: (recipient: Recipient) => Record<string, unknown> };
}


/**
 * Tells a member about an event by site notification and, for what matters, by e-mail in their language and time
 * zone. Members who are deleted, suspended or not (yet) approved are skipped without failing. The notification and
 * the mail are keyed by the fact, so telling it again adds nothing.
 */
@Injectable()
export class EventNoticeSender {
  private readonly logger = new Logger(EventNoticeSender.name);
  private readonly catalog = messageCatalog();

  constructor(
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  event(communityEventId: string): Promise<EventSummaryView | null> {
    return this.queries.execute(new GetEventSummaryQuery(communityEventId));
  }

  async recipient(memberId: string): Promise<Recipient | null> {
    const account = await notifiableAccount(this.queries, memberId, this.logger, 'event notice');
    if (!account?.email) return null;
    return { memberId, email: account.email, locale: account.locale ?? 'ja', name: account.displayName, timeZone: readerTimeZone(account.timeZone) };
  }

  t(locale: Locale, key: string, params?: Record<string, unknown>): string {
    return this.catalog.t(locale, key, params);
  }

  eventUrl(eventId: string): string {
    return `${this.config.baseUrl}/events/${eventId}`;
  }

  /** Returns whether the member was told (false when skipped). */
  async send(tx: EntityManager, notice: EventNotice): Promise<boolean> {
    const recipient = await this.recipient(notice.memberId);
    if (!recipient) return false;
    const { event } = notice;
    await SiteNotifier.notify(tx, {
      memberId: recipient.memberId,
      kind: notice.kind,
      params: { title: event.title, startsAt: event.startsAt.toISOString(), ...notice.params },
      link: `/events/${event.id}`,
      dedupeKey: notice.key,
    });
    if (notice.mail) {
      await MailOutbox.queue(tx, {
        key: notice.key,
        to: recipient.email,
        locale: recipient.locale,
        template: `notifications/${notice.mail.template}`,
        data: {
          communityName: this.config.communityName,
          name: recipient.name,
          title: event.title,
          when: formatEventTimes(event.startsAt, event.endsAt, recipient.locale, recipient.timeZone),
          place: event.place ?? '',
          online: event.format !== 'onsite',
          url: this.eventUrl(event.id),
          ...notice.mail.data?.(recipient),
        },
      });
    }
    return true;
  }
}
