import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@libs/ddd/ids';
import type { MemberStatus, Viewer } from '@libs/security/access-policy';
import { GetMemberNamesQuery, type MemberNameView } from '@modules/membership/contracts';
import type {
  ChannelAudience,
  ChatImageView,
  ChatMemberView,
  ConversationKind,
  ConversationSummaryView,
  DmPolicy,
  ForumLocale,
  GroupRole,
  MessageView,
} from '../contracts';
import { messageExcerpt } from '../domain/chat-content';
import { canKnowConversation, canModerateConversation, canReadConversation, dmKey, mayDirectMessage, showsMessageText, type ConversationFacts } from '../domain/chat-rules';
import { ChatNotFoundError } from '../domain/chat.errors';

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  audience: ChannelAudience | null;
  listed: boolean;
  archived_at: Date | null;
  last_seq: number;
  last_message_at: Date | null;
  member_count: number;
  dm_key: string | null;
  created_by: string | null;
  created_at: Date;
}

/** A conversation with the viewer's place in it. */
export interface ViewerConversationRow extends ConversationRow {
  role: GroupRole | null;
  last_read_seq: number | null;
  joined: boolean;
  pending_kind: 'invite' | 'join' | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  author_id: string;
  client_id: string;
  body: string;
  html: string;
  mentions: string[] | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
}

export const MESSAGE_COLUMNS = 'x.id, x.conversation_id, x.seq, x.author_id, x.client_id, x.body, x.html, x.mentions, x.created_at, x.edited_at, x.deleted_at, x.hidden_at';

/** What `ChatStore.dmState` finds out about a DM between the viewer and another member. */
export interface DmState {
  open: boolean;
  blockedByViewer: boolean;
  other: MemberNameView | undefined;
}

/**
 * Unread messages of one member row `m` of conversation `c`: the messages after the member's read position, written by
 * others, not deleted (nor hidden). Exact without counting them: sending a message moves the sender's own read
 * position to it (in the statement that writes the message) and read positions never move back, so every message of
 * the member's own has seq ≤ last_read_seq; joining starts at the conversation's end. What lies after last_read_seq is
 * therefore last_seq − last_read_seq messages of others, less the deleted or hidden ones among them, which the partial
 * index chat_message_removed_idx finds (a handful). A conversation read to its end costs no lookup at all: the badge on
 * every page is one index scan of the member's rows.
 */
export const UNREAD_SQL = `case when c.last_seq <= m.last_read_seq then 0
  else c.last_seq - m.last_read_seq - (select count(*) from networking.chat_message d
        where d.conversation_id = c.id and d.seq > m.last_read_seq and (d.deleted_at is not null or d.hidden_at is not null)) end`;

const SUMMARY_SELECT = `
  select c.*, m.role, m.last_read_seq, (m.member_id is not null) as joined, r.kind as pending_kind,
         case when m.member_id is null then 0 else ${UNREAD_SQL} end as unread,
         lm.seq as lm_seq, lm.author_id as lm_author_id, lm.body as lm_body, lm.created_at as lm_at
    from networking.conversation c`;

/** The database reads shared by the chat handlers. */
@Injectable()
export class ChatStore {
  constructor(
    readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  /** A fresh entity manager's connection, for the raw statements of chat. */
  sql<T>(query: string, params: unknown[] = []): Promise<T> {
    return this.em.fork().execute(query, params) as Promise<T>;
  }

  static facts(row: ViewerConversationRow): ConversationFacts {
    return {
      kind: row.kind,
      audience: row.audience,
      listed: row.listed,
      archived: row.archived_at !== null,
      joined: row.joined,
      role: row.role,
      pending: row.pending_kind,
      memberCount: row.member_count,
    };
  }

  /** The conversation with the viewer's member row and pending request, whatever the viewer may see (null: none). */
  async load(viewer: Viewer | null, conversationId: string, em?: EntityManager): Promise<ViewerConversationRow | null> {
    if (!isUuid(conversationId)) return null;
    const me = viewer?.memberId ?? null;
    const [row] = await (em ?? this.em.fork()).execute<ViewerConversationRow[]>(
      `select c.*, m.role, m.last_read_seq, (m.member_id is not null) as joined, r.kind as pending_kind
         from networking.conversation c
         left join networking.conversation_member m on m.conversation_id = c.id and m.member_id = ?
         left join networking.conversation_request r on r.conversation_id = c.id and r.member_id = ? and r.status = 'pending'
        where c.id = ?`,
      [me, me, conversationId],
    );
    return row ?? null;
  }

  /** A conversation the viewer may know of (readers; listed groups and groups that invited them), else ChatNotFoundError. */
  async known(viewer: Viewer | null, conversationId: string): Promise<{ row: ViewerConversationRow; facts: ConversationFacts }> {
    const row = await this.load(viewer, conversationId);
    if (!row) throw new ChatNotFoundError();
    const facts = ChatStore.facts(row);
    if (!canKnowConversation(viewer, facts)) throw new ChatNotFoundError();
    return { row, facts };
  }

  /** A conversation the viewer may read, else ChatNotFoundError. */
  async readable(viewer: Viewer | null, conversationId: string): Promise<{ row: ViewerConversationRow; facts: ConversationFacts }> {
    const row = await this.load(viewer, conversationId);
    if (!row) throw new ChatNotFoundError();
    const facts = ChatStore.facts(row);
    if (!canReadConversation(viewer, facts)) throw new ChatNotFoundError();
    return { row, facts };
  }

  /** A message with its conversation, both readable by the viewer. */
  async message(viewer: Viewer | null, messageId: string): Promise<{ message: MessageRow; row: ViewerConversationRow; facts: ConversationFacts }> {
    if (!isUuid(messageId)) throw new ChatNotFoundError();
    const [message] = await this.sql<MessageRow[]>(`select ${MESSAGE_COLUMNS} from networking.chat_message x where x.id = ?`, [messageId]);
    if (!message) throw new ChatNotFoundError();
    const { row, facts } = await this.readable(viewer, message.conversation_id);
    return { message, row, facts };
  }

  async names(ids: (string | null | undefined)[], locale: ForumLocale): Promise<Map<string, MemberNameView>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    if (unique.length === 0) return new Map();
    const names = await this.queries.execute(new GetMemberNamesQuery(unique, locale));
    return new Map(names.map((n) => [n.memberId, n]));
  }

  static member(names: Map<string, MemberNameView>, id: string | null | undefined, locale: ForumLocale): ChatMemberView {
    const n = id ? names.get(id) : undefined;
    if (!n || n.deleted) return { memberId: null, displayName: n?.displayName ?? (locale === 'en' ? 'Deleted member' : '退会したメンバー'), deleted: true };
    return { memberId: n.memberId, displayName: n.displayName, deleted: false };
  }

  /** The other participant of a DM (from its key). */
  static otherOf(row: Pick<ConversationRow, 'dm_key'>, viewerId: string | null | undefined): string | null {
    if (!row.dm_key) return null;
    const [a, b] = row.dm_key.split(':');
    return a === viewerId?.toLowerCase() ? b : a;
  }

  /**
   * Whether the viewer may start or write a DM with `otherId` now (see mayDirectMessage): both approved, no block
   * either way, neither policy `nobody`, and for `known` a DM with a message or a group shared already.
   */
  async dmState(viewer: Viewer, otherId: string): Promise<DmState> {
    if (!isUuid(otherId)) return { open: false, blockedByViewer: false, other: undefined };
    const me = viewer.memberId;
    const [[facts], names] = await Promise.all([
      this.sql<{ mine: DmPolicy | null; theirs: DmPolicy | null; blocked_by_viewer: boolean; blocked_by_other: boolean; dm_known: boolean; group_known: boolean }[]>(
        `select (select dm_policy from networking.chat_setting where member_id = ?) as mine,
                (select dm_policy from networking.chat_setting where member_id = ?) as theirs,
                exists (select 1 from networking.member_block where blocker_id = ? and blocked_id = ?) as blocked_by_viewer,
                exists (select 1 from networking.member_block where blocker_id = ? and blocked_id = ?) as blocked_by_other,
                exists (select 1 from networking.conversation where dm_key = ? and last_seq > 0) as dm_known,
                exists (select 1 from networking.conversation_member a
                          join networking.conversation_member b on b.conversation_id = a.conversation_id and b.member_id = ?
                          join networking.conversation g on g.id = a.conversation_id and g.kind = 'group'
                         where a.member_id = ?) as group_known`,
        [me, otherId, me, otherId, otherId, me, dmKey(me, otherId), otherId, me],
      ),
      this.names([otherId], 'ja'),
    ]);
    const other = names.get(otherId);
    const open = mayDirectMessage({
      self: otherId.toLowerCase() === me.toLowerCase(),
      senderStatus: viewer.status,
      recipientStatus: (other?.status ?? null) as MemberStatus | null,
      blocked: facts.blocked_by_viewer || facts.blocked_by_other,
      senderPolicy: facts.mine ?? 'everyone',
      recipientPolicy: facts.theirs ?? 'everyone',
      known: facts.dm_known || facts.group_known,
    });
    return { open, blockedByViewer: facts.blocked_by_viewer, other };
  }

  async images(messageIds: string[]): Promise<Map<string, ChatImageView[]>> {
    const out = new Map<string, ChatImageView[]>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<{ message_id: string; image_id: string; width: number; height: number }[]>(
      'select message_id, image_id, width, height from networking.chat_message_image where message_id in (?) order by message_id, position',
      [messageIds],
    );
    for (const r of rows) (out.get(r.message_id) ?? out.set(r.message_id, []).get(r.message_id)!).push({ id: r.image_id, width: r.width, height: r.height });
    return out;
  }

  /**
   * A message as `viewer` sees it; `broadcast`: the one payload every socket gets (no body; hidden text for nobody).
   */
  static messageView(
    viewer: Viewer | null,
    /** Not needed for a broadcast (`broadcast` true). */
    facts: ConversationFacts | null,
    m: MessageRow,
    names: Map<string, MemberNameView>,
    images: Map<string, ChatImageView[]>,
    locale: ForumLocale,
    broadcast = false,
  ): MessageView {
    const deleted = m.deleted_at !== null;
    const hidden = m.hidden_at !== null;
    const show = broadcast || !facts ? !deleted && !hidden : showsMessageText(viewer, facts, { authorId: m.author_id, deleted, hidden });
    const own = !!viewer && viewer.memberId === m.author_id;
    return {
      id: m.id,
      conversationId: m.conversation_id,
      seq: m.seq,
      clientId: m.client_id,
      author: ChatStore.member(names, m.author_id, locale),
      html: show ? m.html : '',
      body: !broadcast && facts && show && (own || canModerateConversation(viewer, facts)) ? m.body : null,
      createdAt: m.created_at,
      editedAt: m.edited_at,
      deleted,
      hidden,
      images: show ? (images.get(m.id) ?? []) : [],
      mentions: show ? (m.mentions ?? []) : [],
    };
  }

  /** Messages as the viewer sees them, with names and images. */
  async messageViews(viewer: Viewer | null, facts: ConversationFacts, rows: MessageRow[], locale: ForumLocale, broadcast = false): Promise<MessageView[]> {
    const [names, images] = await Promise.all([this.names(rows.map((r) => r.author_id), locale), this.images(rows.map((r) => r.id))]);
    return rows.map((r) => ChatStore.messageView(viewer, facts, r, names, images, locale, broadcast));
  }

  /** One message again (after a change), as the viewer sees it and as it is broadcast. */
  async freshMessage(viewer: Viewer, facts: ConversationFacts, messageId: string, locale: ForumLocale): Promise<{ mine: MessageView; broadcast: MessageView }> {
    const rows = await this.sql<MessageRow[]>(`select ${MESSAGE_COLUMNS} from networking.chat_message x where x.id = ?`, [messageId]);
    if (rows.length === 0) throw new ChatNotFoundError();
    const [names, images] = await Promise.all([this.names([rows[0].author_id], locale), this.images([messageId])]);
    return {
      mine: ChatStore.messageView(viewer, facts, rows[0], names, images, locale),
      broadcast: ChatStore.messageView(viewer, facts, rows[0], names, images, 'ja', true),
    };
  }

  /** One message as it is broadcast to its conversation's sockets (no viewer: the text only if neither deleted nor hidden). */
  async broadcastMessage(messageId: string): Promise<MessageView | null> {
    if (!isUuid(messageId)) return null;
    const rows = await this.sql<MessageRow[]>(`select ${MESSAGE_COLUMNS} from networking.chat_message x where x.id = ?`, [messageId]);
    if (rows.length === 0) return null;
    const [names, images] = await Promise.all([this.names([rows[0].author_id], 'ja'), this.images([messageId])]);
    return ChatStore.messageView(null, null, rows[0], names, images, 'ja', true);
  }

  /**
   * Conversation summaries for the viewer. `joinedOnly`: an inner join on the viewer's member rows (their own list);
   * otherwise every conversation matching `where` with the viewer's row if any. `where` may use `c`, `m` and `r`.
   */
  async summaries(viewer: Viewer, options: { joinedOnly: boolean; where: string; params: unknown[]; orderBy: string; limit?: number }, locale: ForumLocale): Promise<ConversationSummaryView[]> {
    const me = viewer.memberId;
    const rows = await this.sql<(ViewerConversationRow & { unread: string | number; lm_seq: number | null; lm_author_id: string | null; lm_body: string | null; lm_at: Date | null })[]>(
      `${SUMMARY_SELECT}
         ${options.joinedOnly ? 'join' : 'left join'} networking.conversation_member m on m.conversation_id = c.id and m.member_id = ?
         left join networking.conversation_request r on r.conversation_id = c.id and r.member_id = ? and r.status = 'pending'
         left join lateral (select x.seq, x.author_id, x.body, x.created_at from networking.chat_message x
                             where x.conversation_id = c.id and x.deleted_at is null and x.hidden_at is null order by x.seq desc limit 1) lm on true
        where ${options.where}
        order by ${options.orderBy}
        ${options.limit ? `limit ${Math.trunc(options.limit)}` : ''}`,
      [me, me, ...options.params],
    );
    const names = await this.names(rows.flatMap((r) => [ChatStore.otherOf(r, me), r.lm_author_id]), locale);
    return rows.map((r) => ChatStore.summary(viewer, r, names, locale));
  }

  static summary(
    viewer: Viewer,
    r: ViewerConversationRow & { unread?: string | number | null; lm_seq?: number | null; lm_author_id?: string | null; lm_body?: string | null; lm_at?: Date | null },
    names: Map<string, MemberNameView>,
    locale: ForumLocale,
  ): ConversationSummaryView {
    const otherId = ChatStore.otherOf(r, viewer.memberId);
    const other = r.kind === 'dm' ? ChatStore.member(names, otherId, locale) : null;
    const title = r.kind === 'channel' ? (locale === 'en' && r.name_en) || r.name_ja : r.kind === 'group' ? r.name_ja : other!.displayName;
    const description = r.kind === 'channel' ? (locale === 'en' && r.description_en) || r.description_ja : r.kind === 'group' ? r.description_ja : '';
    return {
      id: r.id,
      kind: r.kind,
      title,
      description,
      other,
      audience: r.audience,
      listed: r.listed,
      archived: r.archived_at !== null,
      memberCount: r.member_count,
      joined: r.joined,
      role: r.role,
      lastSeq: r.last_seq,
      lastReadSeq: r.last_read_seq ?? 0,
      unread: r.joined ? Math.max(0, Number(r.unread ?? 0)) : 0,
      lastMessage:
        r.lm_seq !== null && r.lm_seq !== undefined && r.lm_at
          ? { seq: r.lm_seq, authorName: ChatStore.member(names, r.lm_author_id, locale).displayName, text: messageExcerpt(r.lm_body ?? '', 100), at: r.lm_at }
          : null,
      lastMessageAt: r.last_message_at,
      url: `/chat/c/${r.id}`,
    };
  }
}
