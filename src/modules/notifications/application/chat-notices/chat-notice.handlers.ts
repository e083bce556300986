import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import type { AccountView } from '@modules/membership/contracts';
import {
  GetChatMessageNoticeQuery,
  GetChatPresenceQuery,
  NetworkingEvents,
  type ChatMessageCreatedEvent,
  type ChatMessageNoticeView,
  type ForumLocale,
} from '@modules/networking/contracts';
import { SiteNotifier } from '../site-notifications/site-notifier';
import { notifiableAccount } from '../site-notifications/notifiable-account';


/** The notice kinds (texts under notifications.kinds). */
export const CHAT_NOTICE_KINDS = {
  /** One unread message in a DM. */
  dm: 'chat-dm',
  /** Several: the DM notice after it was updated. */
  dms: 'chat-dms',
  mention: 'chat-mention',
  groupMention: 'chat-mention-group',
} as const;

/** Where a notice leads: the conversation's page. */
export const chatLink = (conversationId: string) => `/chat/c/${conversationId}`;

/**
 * A chat message, about CHAT_NOTICE_DELAY_MS after it was sent: a bell notice for the DM's recipient and for the
 * members it mentions — only those who still have it unread, may read the conversation (chat answers both), are not
 * connected now (they saw it live) and whose account is approved.
 *
 * DMs collapse: a conversation has at most one unread DM notice per member. A further message updates it (the count
 * and the latest sender's name, moved up to now) instead of adding one; once the member has read the notice, the next
 * message starts a new one. Each DM notice records the range of seqs it covers, so that a message delivered again
 * (even under a new event id) changes nothing. Mentions are one notice per message and member (their dedupe key), in
 * channels and groups; a mention in a DM is the DM notice.
 */
@Injectable()
@OnIntegrationEvent(NetworkingEvents.chatMessageCreated)
export class NotifyMembersOnChatMessageHandler implements IntegrationEventHandler<ChatMessageCreatedEvent> {
  private readonly logger = new Logger(NotifyMembersOnChatMessageHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: ChatMessageCreatedEvent, tx: EntityManager): Promise<void> {
    const direct = new Set(e.kind === 'dm' ? e.recipientIds.filter((id) => id !== e.authorId) : []);
    const mentioned = new Set(e.kind === 'dm' ? [] : e.mentionIds.filter((id) => id !== e.authorId));
    const asked = [...new Set([...direct, ...mentioned])];
    if (asked.length === 0) return;

    const notice = await this.queries.execute(new GetChatMessageNoticeQuery(e.messageId, asked, 'ja'));
    if (!notice || notice.deleted) return;
    const unread = asked.filter((id) => notice.unreadBy.includes(id));
    if (unread.length === 0) return;
    const online = new Set(await this.presence(unread));
    const told: { memberId: string; locale: ForumLocale }[] = [];
    for (const memberId of unread) {
      if (online.has(memberId)) continue;
      const account = await this.notifiable(memberId);
      if (account) told.push({ memberId, locale: account.locale === 'en' ? 'en' : 'ja' });
    }
    if (told.length === 0) return;

    // A channel's name in the reader's language (their setting when the notice is made; Japanese without one).
    let titleEn: string | null = null;
    for (const { memberId, locale } of told) {
      if (direct.has(memberId)) {
        await this.dmNotice(tx, memberId, notice);
        continue;
      }
      if (locale === 'en' && notice.kind === 'channel') {
        titleEn ??= (await this.queries.execute(new GetChatMessageNoticeQuery(e.messageId, [], 'en')))?.conversationTitle ?? notice.conversationTitle;
      }
      await this.mentionNotice(tx, memberId, notice, locale === 'en' && titleEn ? titleEn : notice.conversationTitle);
    }
  }

  private async mentionNotice(tx: EntityManager, memberId: string, notice: ChatMessageNoticeView, title: string): Promise<void> {
    await SiteNotifier.notify(tx, {
      memberId,
      kind: notice.kind === 'channel' ? CHAT_NOTICE_KINDS.mention : CHAT_NOTICE_KINDS.groupMention,
      params: { name: notice.author.displayName, title, seq: notice.seq },
      link: chatLink(notice.conversationId),
      dedupeKey: `chat-mention:${notice.messageId}:${memberId}`,
    });
  }

  /** Adds the DM notice, or updates the member's unread one for this conversation (see the class). */
  private async dmNotice(tx: EntityManager, memberId: string, notice: ChatMessageNoticeView): Promise<void> {
    const link = chatLink(notice.conversationId);
    // One writer at a time per member and conversation: two messages handled at once make one notice.
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`chat-dm-notice:${memberId}:${notice.conversationId}`]);
    const covered = await tx.execute<{ id: string }[]>(
      `select id from notifications.notification
        where member_id = ? and link = ? and kind in (?, ?)
          and (params->>'firstSeq')::bigint <= ? and (params->>'lastSeq')::bigint >= ?
        limit 1`,
      [memberId, link, CHAT_NOTICE_KINDS.dm, CHAT_NOTICE_KINDS.dms, notice.seq, notice.seq],
    );
    if (covered.length > 0) return;

    const [open] = await tx.execute<{ id: string; params: Record<string, string | number> }[]>(
      `select id, params from notifications.notification
        where member_id = ? and link = ? and kind in (?, ?) and read_at is null
        order by created_at desc limit 1`,
      [memberId, link, CHAT_NOTICE_KINDS.dm, CHAT_NOTICE_KINDS.dms],
    );
    if (!open) {
      await SiteNotifier.notify(tx, {
        memberId,
        kind: CHAT_NOTICE_KINDS.dm,
        params: { name: notice.author.displayName, count: 1, firstSeq: notice.seq, lastSeq: notice.seq },
        link,
        dedupeKey: `chat-dm:${notice.conversationId}:${memberId}:${notice.seq}`,
      });
      return;
    }
    const firstSeq = Math.min(Number(open.params.firstSeq ?? notice.seq), notice.seq);
    const lastSeq = Math.max(Number(open.params.lastSeq ?? notice.seq), notice.seq);
    const count = Number(open.params.count ?? 1) + 1;
    // The newest message names the sender; a message that arrives late (an older seq) keeps the newer name.
    const name = notice.seq >= Number(open.params.lastSeq ?? 0) ? notice.author.displayName : String(open.params.name ?? notice.author.displayName);
    await tx.execute(`update notifications.notification set kind = ?, params = ?, created_at = clock_timestamp() where id = ?`, [
      CHAT_NOTICE_KINDS.dms,
      JSON.stringify({ name, count, firstSeq, lastSeq }),
      open.id,
    ]);
  }

  /** Members with a live socket now; when that cannot be asked, nobody (a notice too many rather than one missed). */
  private async presence(memberIds: string[]): Promise<string[]> {
    try {
      return await this.queries.execute(new GetChatPresenceQuery(memberIds));
    } catch (err) {
      this.logger.warn({ err }, 'chat presence unavailable: notifying as if nobody were connected');
      return [];
    }
  }

  /** The account when it may be told anything now (see notifiableAccount). */
  private notifiable(memberId: string): Promise<AccountView | null> {
    return notifiableAccount(this.queries, memberId, this.logger, 'chat notice');
  }
}
