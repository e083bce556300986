import { Injectable, Optional } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { RedisConnections } from '@libs/queue/redis-connections';
import { AccessPolicy, type MemberStatus, type Viewer } from '@libs/security/access-policy';
import { AUTO_HIDE_REPORTERS, DecideModerationCommand, ModerationEvents, REPORT_REASON_MAX, ReportContentCommand, type ModerationDecidedEvent } from '@modules/moderation/contracts';
import {
  GetChatMessageNoticeQuery,
  GetChatPresenceQuery,
  HideMessageCommand,
  ReportMessageCommand,
  type ChatMessageNoticeView,
  type MessageView,
} from '../contracts';
import { cleanReason, messageExcerpt } from '../domain/chat-content';
import { audienceFits, canModerateConversation, canReportMessage } from '../domain/chat-rules';
import { CannotReportOwnMessageError, ChatNotFoundError } from '../domain/chat.errors';
import { ChatFanout } from './chat-fanout';
import { ChatStore, type ConversationRow } from './chat-store';

/** The moderation subject type of chat messages. */
export const CHAT_MESSAGE_SUBJECT = 'chat-message';

/** The link operators follow from the moderation queue (the conversation's page at the message). */
export const chatMessageLink = (conversationId: string, seq: number) => `/chat/c/${conversationId}?seq=${seq}`;

@CommandHandler(HideMessageCommand)
export class HideMessageHandler implements ICommandHandler<HideMessageCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly commands: CommandBus,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, messageId, hidden }: HideMessageCommand): Promise<MessageView> {
    if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
    const { message, facts } = await this.store.message(viewer, messageId);
    if (!canModerateConversation(viewer, facts)) throw new ForbiddenError();
    await this.store.sql(
      hidden
        ? `update networking.chat_message set hidden_at = coalesce(hidden_at, clock_timestamp()), hidden_by = ?, hidden_reason = 'moderator' where id = ?`
        : `update networking.chat_message set hidden_at = null, hidden_by = null, hidden_reason = null where id = ?`,
      hidden ? [viewer.memberId, message.id] : [message.id],
    );
    // Like the forum's post moderation: the decision closes any open reports, and is written to the audit log.
    await this.commands.execute(new DecideModerationCommand(viewer, { type: CHAT_MESSAGE_SUBJECT, id: message.id }, hidden ? 'hide' : 'keep', ''));
    const { mine, broadcast } = await this.store.freshMessage(viewer, facts, message.id, viewer.locale ?? 'ja');
    this.fanout.messageUpdated(broadcast);
    return mine;
  }
}

@CommandHandler(ReportMessageCommand)
export class ReportMessageHandler implements ICommandHandler<ReportMessageCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly commands: CommandBus,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, messageId, reason }: ReportMessageCommand): Promise<{ reportId: string; hidden: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const text = cleanReason(reason, REPORT_REASON_MAX);
    const { message, facts } = await this.store.message(viewer, messageId);
    if (message.author_id === viewer.memberId) throw new CannotReportOwnMessageError();
    if (!canReportMessage(viewer, facts, { authorId: message.author_id, deleted: message.deleted_at !== null, hidden: message.hidden_at !== null })) throw new ChatNotFoundError();
    const filed = await this.commands.execute(
      new ReportContentCommand(
        viewer,
        { type: CHAT_MESSAGE_SUBJECT, id: message.id, authorId: message.author_id, excerpt: messageExcerpt(message.body, 200), link: chatMessageLink(message.conversation_id, message.seq) },
        text,
      ),
    );
    let hidden = message.hidden_at !== null;
    if (!hidden && filed.openReporters >= AUTO_HIDE_REPORTERS) {
      const rows = await this.store.sql<unknown[]>(`update networking.chat_message set hidden_at = clock_timestamp(), hidden_reason = 'reports' where id = ? and hidden_at is null returning 1`, [message.id]);
      hidden = true;
      if (rows.length) this.fanout.messageUpdated((await this.store.freshMessage(viewer, facts, message.id, 'ja')).broadcast);
    }
    return { reportId: filed.reportId, hidden };
  }
}

/** An operator's decision in the moderation queue on a chat message: hidden, or shown again. */
@Injectable()
@OnIntegrationEvent(ModerationEvents.decided)
export class ApplyChatModerationOnDecidedHandler implements IntegrationEventHandler<ModerationDecidedEvent> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async handle(e: ModerationDecidedEvent, tx: EntityManager): Promise<void> {
    if (e.subjectType !== CHAT_MESSAGE_SUBJECT || !isUuid(e.subjectId)) return;
    if (e.decision === 'hide') {
      await tx.execute(`update networking.chat_message set hidden_at = coalesce(hidden_at, clock_timestamp()), hidden_reason = coalesce(hidden_reason, 'moderator') where id = ?`, [e.subjectId]);
    } else {
      await tx.execute(`update networking.chat_message set hidden_at = null, hidden_by = null, hidden_reason = null where id = ?`, [e.subjectId]);
    }
  }

  /** The conversation's open pages see the message hidden (or back) at once, whichever process decided. */
  async afterCommit(e: ModerationDecidedEvent): Promise<void> {
    if (e.subjectType !== CHAT_MESSAGE_SUBJECT || !isUuid(e.subjectId)) return;
    const message = await this.store.broadcastMessage(e.subjectId);
    if (message) this.fanout.messageUpdated(message);
  }
}

/**
 * A message for the bell and e-mail: of the members asked about, those who may read the conversation now (approved;
 * channels: of its audience or operators; groups and DMs: in it), are not its author, have not blocked the author, and
 * have not read it (their read position is before it; a channel's reader who has not joined has not read it).
 */
@QueryHandler(GetChatMessageNoticeQuery)
export class GetChatMessageNoticeHandler implements IQueryHandler<GetChatMessageNoticeQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ messageId, memberIds, locale }: GetChatMessageNoticeQuery): Promise<ChatMessageNoticeView | null> {
    if (!isUuid(messageId)) return null;
    const [row] = await this.store.sql<(ConversationRow & { message_id: string; seq: number; author_id: string; body: string; deleted_at: Date | null; hidden_at: Date | null })[]>(
      `select c.*, x.id as message_id, x.seq, x.author_id, x.body, x.deleted_at, x.hidden_at
         from networking.chat_message x join networking.conversation c on c.id = x.conversation_id where x.id = ?`,
      [messageId],
    );
    if (!row) return null;
    const asked = [...new Set((memberIds ?? []).filter(isUuid).map((id) => id.toLowerCase()))].filter((id) => id !== row.author_id);
    const removed = row.deleted_at !== null || row.hidden_at !== null;
    const [names, members, blockers] = await Promise.all([
      this.store.names([row.author_id, ...asked], locale),
      asked.length
        ? this.store.sql<{ member_id: string; last_read_seq: number }[]>('select member_id, last_read_seq from networking.conversation_member where conversation_id = ? and member_id in (?)', [row.id, asked])
        : Promise.resolve([]),
      asked.length
        ? this.store.sql<{ blocker_id: string }[]>('select blocker_id from networking.member_block where blocked_id = ? and blocker_id in (?)', [row.author_id, asked])
        : Promise.resolve([]),
    ]);
    const readPosition = new Map(members.map((m) => [m.member_id, m.last_read_seq]));
    const blocked = new Set(blockers.map((b) => b.blocker_id));
    const unreadBy = removed
      ? []
      : asked.filter((id) => {
          const n = names.get(id);
          if (!n || blocked.has(id)) return false;
          const reader: Viewer = { memberId: id, status: n.status as MemberStatus, role: n.role, displayName: n.displayName, locale: null, sessionVersion: 0 };
          if (!AccessPolicy.isMember(reader)) return false;
          const position = readPosition.get(id);
          if (row.kind === 'channel') {
            if (!AccessPolicy.isOperator(reader) && !audienceFits(reader.status, row.audience!)) return false;
            return position === undefined || position < row.seq;
          }
          return position !== undefined && position < row.seq;
        });
    const author = ChatStore.member(names, row.author_id, locale);
    const title = row.kind === 'channel' ? (locale === 'en' && row.name_en) || row.name_ja : row.kind === 'group' ? row.name_ja : author.displayName;
    return {
      messageId: row.message_id,
      conversationId: row.id,
      kind: row.kind,
      seq: row.seq,
      conversationTitle: title,
      author,
      excerpt: removed ? '' : messageExcerpt(row.body, 140),
      deleted: removed,
      unreadBy,
    };
  }
}

/** The sorted set the chat gateway keeps: member id → until when (epoch ms) a socket of theirs is known to be live. */
export const chatPresenceKey = (prefix: string) => `${prefix}:chat:presence`;

@QueryHandler(GetChatPresenceQuery)
export class GetChatPresenceHandler implements IQueryHandler<GetChatPresenceQuery> {
  constructor(@Optional() private readonly redis?: RedisConnections) {}

  async execute({ memberIds }: GetChatPresenceQuery): Promise<string[]> {
    const ids = [...new Set((memberIds ?? []).filter(isUuid))];
    if (ids.length === 0 || !this.redis) return [];
    try {
      const scores = await this.redis.client.zmscore(chatPresenceKey(this.redis.prefix), ...ids);
      const now = Date.now();
      return ids.filter((_, i) => scores[i] !== null && Number(scores[i]) > now);
    } catch {
      // Redis away: nobody counts as present (notices are sent rather than lost).
      return [];
    }
  }
}
