import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  ArchiveChannelCommand,
  CreateChannelCommand,
  GetChatUnreadTotalQuery,
  GetConversationAccessQuery,
  GetConversationQuery,
  JoinChannelCommand,
  LeaveConversationCommand,
  ListChannelsQuery,
  ListChatSubscriptionsQuery,
  ListConversationsQuery,
  ListGroupsQuery,
  MarkConversationReadCommand,
  UpdateChannelCommand,
  type ConversationKind,
  type ConversationListView,
  type ConversationSummaryView,
  type ConversationView,
  type GroupRequestView,
  type GroupRole,
} from '../contracts';
import type { ChannelAudience } from '../contracts';
import { cleanChannelInput } from '../domain/chat-content';
import { normalizeForSearch, containsPattern } from '@libs/search/japanese-text';
import {
  audienceFits,
  canJoinConversation,
  canLeaveConversation,
  canManageConversation,
  canModerateConversation,
  canPostConversation,
  canReadConversation,
  clampReadSeq,
  readableAudiences,
} from '../domain/chat-rules';
import { CannotJoinError, ChatArchivedError, ChatNotFoundError, OwnerMustHandOverError } from '../domain/chat.errors';
import { ChatFanout } from './chat-fanout';
import { ChatStore, UNREAD_SQL } from './chat-store';

/** `c` is readable by the viewer as far as channels go (groups and DMs: the member row decides). */
function channelFilter(viewer: Viewer): { sql: string; params: unknown[] } {
  return { sql: `(c.kind <> 'channel' or c.audience in (?))`, params: [readableAudiences(viewer)] };
}

@QueryHandler(ListConversationsQuery)
export class ListConversationsHandler implements IQueryHandler<ListConversationsQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, locale }: ListConversationsQuery): Promise<ConversationListView> {
    if (!AccessPolicy.isMember(viewer)) return { items: [], totalUnread: 0 };
    const channels = channelFilter(viewer);
    // A DM appears once it has a message, or to the member who opened it.
    const items = await this.store.summaries(
      viewer,
      {
        joinedOnly: true,
        where: `${channels.sql} and (c.kind <> 'dm' or c.last_seq > 0 or c.created_by = ?)`,
        params: [...channels.params, viewer.memberId],
        orderBy: 'coalesce(c.last_message_at, c.created_at) desc, c.id',
      },
      locale,
    );
    return { items, totalUnread: items.reduce((sum, i) => sum + i.unread, 0) };
  }
}

@QueryHandler(GetChatUnreadTotalQuery)
export class GetChatUnreadTotalHandler implements IQueryHandler<GetChatUnreadTotalQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer }: GetChatUnreadTotalQuery): Promise<number> {
    if (!AccessPolicy.isMember(viewer)) return 0;
    const channels = channelFilter(viewer);
    // Only the member's rows behind their conversation's end are looked at further (see UNREAD_SQL).
    const [{ n }] = await this.store.sql<{ n: string | number | null }[]>(
      `select coalesce(sum(${UNREAD_SQL}), 0) as n
         from networking.conversation_member m join networking.conversation c on c.id = m.conversation_id
        where m.member_id = ? and c.last_seq > m.last_read_seq and ${channels.sql}`,
      [viewer.memberId, ...channels.params],
    );
    return Math.max(0, Number(n ?? 0));
  }
}

@QueryHandler(ListChatSubscriptionsQuery)
export class ListChatSubscriptionsHandler implements IQueryHandler<ListChatSubscriptionsQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer }: ListChatSubscriptionsQuery): Promise<{ conversationId: string; lastSeq: number }[]> {
    if (!AccessPolicy.isMember(viewer)) return [];
    const channels = channelFilter(viewer);
    const rows = await this.store.sql<{ id: string; last_seq: number }[]>(
      `select c.id, c.last_seq from networking.conversation_member m join networking.conversation c on c.id = m.conversation_id
        where m.member_id = ? and ${channels.sql} order by c.id`,
      [viewer.memberId, ...channels.params],
    );
    return rows.map((r) => ({ conversationId: r.id, lastSeq: r.last_seq }));
  }
}

@QueryHandler(ListChannelsQuery)
export class ListChannelsHandler implements IQueryHandler<ListChannelsQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, locale, includeArchived }: ListChannelsQuery): Promise<ConversationSummaryView[]> {
    if (!AccessPolicy.isMember(viewer)) return [];
    return this.store.summaries(
      viewer,
      {
        joinedOnly: false,
        where: `c.kind = 'channel' and c.audience in (?) ${includeArchived ? '' : 'and c.archived_at is null'}`,
        params: [readableAudiences(viewer)],
        orderBy: '(c.archived_at is not null), c.created_at, c.id',
      },
      locale,
    );
  }
}

/** Groups listed at most (the viewer's own and those that invited them come first). */
const GROUPS_MAX = 200;

@QueryHandler(ListGroupsQuery)
export class ListGroupsHandler implements IQueryHandler<ListGroupsQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, q, locale }: ListGroupsQuery): Promise<ConversationSummaryView[]> {
    if (!AccessPolicy.isMember(viewer)) return [];
    const word = normalizeForSearch(q ?? '');
    return this.store.summaries(
      viewer,
      {
        joinedOnly: false,
        where: `c.kind = 'group' and c.archived_at is null and (m.member_id is not null or c.listed or r.kind = 'invite') ${word ? 'and c.name_search like ?' : ''}`,
        params: word ? [containsPattern(word)] : [],
        orderBy: '(m.member_id is null and r.kind is null), coalesce(c.last_message_at, c.created_at) desc, c.id',
        limit: GROUPS_MAX,
      },
      locale,
    );
  }
}

@QueryHandler(GetConversationQuery)
export class GetConversationHandler implements IQueryHandler<GetConversationQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, conversationId, locale }: GetConversationQuery): Promise<ConversationView> {
    const { row, facts } = await this.store.known(viewer, conversationId);
    const [summary] = await this.store.summaries(viewer, { joinedOnly: false, where: 'c.id = ?', params: [row.id], orderBy: 'c.id' }, locale);
    if (!summary) throw new ChatNotFoundError();
    const read = canReadConversation(viewer, facts);
    const manage = canManageConversation(viewer, facts);
    const otherId = ChatStore.otherOf(row, viewer.memberId);
    const dm = row.kind === 'dm' && otherId ? await this.store.dmState(viewer, otherId) : null;
    const [memberRows, requestRows] = await Promise.all([
      read && row.kind !== 'channel'
        ? this.store.sql<{ member_id: string; role: GroupRole; last_read_seq: number }[]>(
            `select member_id, role, last_read_seq from networking.conversation_member where conversation_id = ? order by (role = 'owner') desc, joined_at, member_id limit 1000`,
            [row.id],
          )
        : Promise.resolve([]),
      manage && row.kind === 'group'
        ? this.store.sql<{ member_id: string; kind: 'invite' | 'join'; message: string; created_at: Date }[]>(
            `select member_id, kind, message, created_at from networking.conversation_request where conversation_id = ? and status = 'pending' order by created_at`,
            [row.id],
          )
        : Promise.resolve([]),
    ]);
    const names = await this.store.names([...memberRows.map((m) => m.member_id), ...requestRows.map((r) => r.member_id)], locale);
    const requests: GroupRequestView[] = requestRows.map((r) => ({ member: ChatStore.member(names, r.member_id, locale), kind: r.kind, message: r.message, createdAt: r.created_at }));
    const channel = row.kind === 'channel';
    return {
      conversation: summary,
      nameJa: channel ? row.name_ja : '',
      nameEn: channel ? row.name_en : '',
      descriptionJa: channel ? row.description_ja : '',
      descriptionEn: channel ? row.description_en : '',
      members: memberRows.map((m) => ({ ...ChatStore.member(names, m.member_id, locale), role: m.role })),
      requests,
      invitedByOwner: facts.pending === 'invite',
      requestPending: facts.pending === 'join',
      canRead: read,
      canPost: canPostConversation(viewer, facts, dm?.open ?? true),
      canJoin: canJoinConversation(viewer, facts),
      canLeave: canLeaveConversation(viewer, facts),
      canManage: manage,
      canModerate: canModerateConversation(viewer, facts),
      otherLastReadSeq: row.kind === 'dm' ? (memberRows.find((m) => m.member_id === otherId)?.last_read_seq ?? 0) : null,
      dmClosed: dm ? !dm.open : false,
      blockedByViewer: dm?.blockedByViewer ?? false,
    };
  }
}

@QueryHandler(GetConversationAccessQuery)
export class GetConversationAccessHandler implements IQueryHandler<GetConversationAccessQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, conversationId }: GetConversationAccessQuery): Promise<{ kind: ConversationKind; read: boolean; post: boolean; member: boolean } | null> {
    const row = await this.store.load(viewer, conversationId);
    if (!row) return null;
    const facts = ChatStore.facts(row);
    if (!canReadConversation(viewer, facts)) return null;
    const otherId = ChatStore.otherOf(row, viewer.memberId);
    const open = row.kind === 'dm' && otherId && facts.joined && !facts.archived ? (await this.store.dmState(viewer, otherId)).open : true;
    return { kind: row.kind, read: true, post: canPostConversation(viewer, facts, open), member: facts.joined };
  }
}

@CommandHandler(MarkConversationReadCommand)
export class MarkConversationReadHandler implements ICommandHandler<MarkConversationReadCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, seq }: MarkConversationReadCommand): Promise<{ lastReadSeq: number }> {
    const { row, facts } = await this.store.readable(viewer, conversationId);
    if (!facts.joined) return { lastReadSeq: 0 };
    const wanted = clampReadSeq(0, Number(seq), Number.MAX_SAFE_INTEGER);
    // Forward only, never past the conversation's end as it is when the statement runs.
    const moved = await this.store.sql<{ last_read_seq: number }[]>(
      `update networking.conversation_member m set last_read_seq = least(greatest(m.last_read_seq, ?), c.last_seq)
         from networking.conversation c
        where c.id = m.conversation_id and m.conversation_id = ? and m.member_id = ? and m.last_read_seq < least(?, c.last_seq)
        returning m.last_read_seq`,
      [wanted, row.id, viewer.memberId, wanted],
    );
    if (moved.length === 0) {
      const [current] = await this.store.sql<{ last_read_seq: number }[]>('select last_read_seq from networking.conversation_member where conversation_id = ? and member_id = ?', [row.id, viewer.memberId]);
      return { lastReadSeq: current?.last_read_seq ?? 0 };
    }
    this.fanout.readMoved(row.id, viewer.memberId, moved[0].last_read_seq);
    return { lastReadSeq: moved[0].last_read_seq };
  }
}

function requireOperator(viewer: Viewer): void {
  if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
}

@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, input }: CreateChannelCommand): Promise<{ conversationId: string }> {
    requireOperator(viewer);
    const c = cleanChannelInput(input);
    const id = randomUUID();
    await this.store.sql(
      `insert into networking.conversation (id, kind, name_ja, name_en, description_ja, description_en, name_search, audience, created_by, created_at)
       values (?, 'channel', ?, ?, ?, ?, ?, ?, ?, now())`,
      [id, c.nameJa, c.nameEn, c.descriptionJa, c.descriptionEn, normalizeForSearch(`${c.nameJa} ${c.nameEn}`), c.audience, viewer.memberId],
    );
    return { conversationId: id };
  }
}

async function operatorsChannel(store: ChatStore, viewer: Viewer, conversationId: string) {
  requireOperator(viewer);
  const { row } = await store.readable(viewer, conversationId);
  if (row.kind !== 'channel') throw new ChatNotFoundError();
  return row;
}

@CommandHandler(UpdateChannelCommand)
export class UpdateChannelHandler implements ICommandHandler<UpdateChannelCommand> {
  private readonly logger = new Logger(UpdateChannelHandler.name);

  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, input }: UpdateChannelCommand): Promise<void> {
    const row = await operatorsChannel(this.store, viewer, conversationId);
    const c = cleanChannelInput(input);
    await this.store.sql(
      'update networking.conversation set name_ja = ?, name_en = ?, description_ja = ?, description_en = ?, name_search = ?, audience = ? where id = ?',
      [c.nameJa, c.nameEn, c.descriptionJa, c.descriptionEn, normalizeForSearch(`${c.nameJa} ${c.nameEn}`), c.audience, row.id],
    );
    if (row.audience !== c.audience) await this.dropOutsideAudience(row.id, c.audience);
    this.fanout.conversationChanged(row.id);
  }

  /**
   * Members whose status no longer fits the channel's audience stop receiving it at once (operators keep it): its
   * members, and readers who follow it without having joined (their sockets are in its room on some web process).
   */
  private async dropOutsideAudience(conversationId: string, audience: ChannelAudience): Promise<void> {
    const members = await this.store.sql<{ member_id: string }[]>('select member_id from networking.conversation_member where conversation_id = ?', [conversationId]);
    await this.dropUnfit(conversationId, audience, members.map((m) => m.member_id));
    // Asking every web process for its sockets waits for their answers (seconds if one is gone): not on the request.
    this.fanout.receivers(conversationId).then(
      (readers) => this.dropUnfit(conversationId, audience, readers.filter((id) => !members.some((m) => m.member_id === id))),
      (e: unknown) => this.logger.warn(`cannot list the readers of channel ${conversationId}: ${String(e)}`),
    ).catch((e: unknown) => this.logger.warn(`cannot drop the readers of channel ${conversationId}: ${String(e)}`));
  }

  private async dropUnfit(conversationId: string, audience: ChannelAudience, memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return;
    const names = await this.store.names(memberIds, 'ja');
    for (const memberId of memberIds) {
      const member = names.get(memberId);
      const operator = member && (member.role === 'operator' || member.role === 'admin') && (member.status === 'employee' || member.status === 'alumni');
      if (!member || (!operator && !audienceFits(member.status, audience))) this.fanout.membershipChanged(conversationId, memberId, false);
    }
  }
}

@CommandHandler(ArchiveChannelCommand)
export class ArchiveChannelHandler implements ICommandHandler<ArchiveChannelCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId, archived }: ArchiveChannelCommand): Promise<void> {
    const row = await operatorsChannel(this.store, viewer, conversationId);
    await this.store.sql(`update networking.conversation set archived_at = ${archived ? 'coalesce(archived_at, now())' : 'null'} where id = ?`, [row.id]);
    this.fanout.conversationChanged(row.id);
  }
}

@CommandHandler(JoinChannelCommand)
export class JoinChannelHandler implements ICommandHandler<JoinChannelCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId }: JoinChannelCommand): Promise<void> {
    const { row, facts } = await this.store.readable(viewer, conversationId);
    if (row.kind !== 'channel') throw new CannotJoinError();
    if (facts.joined) return;
    if (facts.archived) throw new ChatArchivedError();
    if (!canJoinConversation(viewer, facts)) throw new CannotJoinError();
    // Reading starts at the channel's end: the backlog is there to scroll, not to count as unread.
    const joined = await this.store.sql<unknown[]>(
      `with j as (
         insert into networking.conversation_member (conversation_id, member_id, role, joined_at, last_read_seq)
         select id, ?, 'member', now(), last_seq from networking.conversation where id = ? and kind = 'channel' and archived_at is null
         on conflict do nothing returning conversation_id)
       update networking.conversation set member_count = member_count + 1 where id in (select conversation_id from j) returning id`,
      [viewer.memberId, row.id],
    );
    if (joined.length) this.fanout.membershipChanged(row.id, viewer.memberId, true);
  }
}

@CommandHandler(LeaveConversationCommand)
export class LeaveConversationHandler implements ICommandHandler<LeaveConversationCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, conversationId }: LeaveConversationCommand): Promise<void> {
    const { row, facts } = await this.store.known(viewer, conversationId);
    if (!facts.joined) return;
    if (row.kind === 'dm') throw new ForbiddenError();
    const left = await this.store.em.fork().transactional(async (tx) => {
      // Membership changes of one conversation wait for each other here (the owner rule needs a stable count).
      const [c] = await tx.execute<{ member_count: number }[]>('select member_count from networking.conversation where id = ? for update', [row.id]);
      const [me] = await tx.execute<{ role: GroupRole }[]>('select role from networking.conversation_member where conversation_id = ? and member_id = ?', [row.id, viewer.memberId]);
      if (!c || !me) return false;
      if (row.kind === 'group' && me.role === 'owner' && c.member_count > 1) throw new OwnerMustHandOverError();
      await tx.execute('delete from networking.conversation_member where conversation_id = ? and member_id = ?', [row.id, viewer.memberId]);
      // A group its last member leaves is closed (nobody could read or manage it any more).
      await tx.execute(
        `update networking.conversation set member_count = greatest(member_count - 1, 0),
                archived_at = case when kind = 'group' and member_count <= 1 then coalesce(archived_at, now()) else archived_at end
          where id = ?`,
        [row.id],
      );
      return true;
    });
    if (left) this.fanout.membershipChanged(row.id, viewer.memberId, false);
  }
}
