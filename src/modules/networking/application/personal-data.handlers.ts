import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@libs/ddd/ids';
import { GetChatPersonalDataQuery, GetForumPersonalDataQuery, type ChatPersonalDataView, type ForumPersonalDataView } from '../contracts';

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
const at = (d: Date | string): string => new Date(d).toISOString();

@QueryHandler(GetForumPersonalDataQuery)
export class GetForumPersonalDataHandler implements IQueryHandler<GetForumPersonalDataQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetForumPersonalDataQuery): Promise<ForumPersonalDataView> {
    const empty: ForumPersonalDataView = { threadsStarted: [], posts: [], reactionsGiven: [], watching: [], visits: null };
    if (!isUuid(memberId)) return empty;
    const em = this.em.fork();
    const [threads, posts, reactions, threadWatches, boardWatches, visits] = await Promise.all([
      em.execute<{ id: string; title: string; board: string; created_at: Date }[]>(
        `select t.id, t.title, b.name_ja as board, t.created_at from networking.thread t join networking.board b on b.id = t.board_id
          where t.author_id = ? order by t.created_at, t.id`,
        [memberId],
      ),
      em.execute<{ id: string; thread_id: string; title: string; number: number; body: string; created_at: Date; edited_at: Date | null; deleted_at: Date | null; hidden_reason: string | null }[]>(
        `select p.id, p.thread_id, t.title, p.number, p.body, p.created_at, p.edited_at, p.deleted_at, p.hidden_reason
           from networking.post p join networking.thread t on t.id = p.thread_id
          where p.author_id = ? order by p.created_at, p.id`,
        [memberId],
      ),
      em.execute<{ post_id: string; kind: string; created_at: Date }[]>('select post_id, kind, created_at from networking.reaction where member_id = ? order by created_at, post_id, kind', [memberId]),
      em.execute<{ thread_id: string; level: string }[]>('select thread_id, level from networking.thread_watch where member_id = ? order by thread_id', [memberId]),
      em.execute<{ board_id: string; level: string }[]>('select board_id, level from networking.board_watch where member_id = ? order by board_id', [memberId]),
      em.execute<{ first_visit_at: Date; last_visit_at: Date }[]>('select first_visit_at, last_visit_at from networking.forum_visit where member_id = ?', [memberId]),
    ]);
    const revisions = posts.length
      ? await em.execute<{ post_id: string; body: string; written_at: Date; replaced_at: Date }[]>(
          `select r.post_id, r.body, r.written_at, r.replaced_at from networking.post_revision r join networking.post p on p.id = r.post_id
            where p.author_id = ? order by r.replaced_at`,
          [memberId],
        )
      : [];
    const earlier = new Map<string, { body: string; writtenAt: string; replacedAt: string }[]>();
    for (const r of revisions) earlier.set(r.post_id, [...(earlier.get(r.post_id) ?? []), { body: r.body, writtenAt: at(r.written_at), replacedAt: at(r.replaced_at) }]);
    return {
      threadsStarted: threads.map((t) => ({ threadId: t.id, title: t.title, board: t.board, createdAt: at(t.created_at) })),
      posts: posts.map((p) => ({
        postId: p.id,
        threadId: p.thread_id,
        threadTitle: p.title,
        number: p.number,
        body: p.body,
        createdAt: at(p.created_at),
        editedAt: iso(p.edited_at),
        deletedAt: iso(p.deleted_at),
        hiddenByModerators: p.hidden_reason !== null,
        earlierVersions: earlier.get(p.id) ?? [],
      })),
      reactionsGiven: reactions.map((r) => ({ postId: r.post_id, kind: r.kind, createdAt: at(r.created_at) })),
      watching: [
        ...boardWatches.map((w) => ({ threadId: null, boardId: w.board_id, level: w.level })),
        ...threadWatches.map((w) => ({ threadId: w.thread_id, boardId: null, level: w.level })),
      ],
      visits: visits[0] ? { firstVisitAt: at(visits[0].first_visit_at), lastVisitAt: at(visits[0].last_visit_at) } : null,
    };
  }
}

@QueryHandler(GetChatPersonalDataQuery)
export class GetChatPersonalDataHandler implements IQueryHandler<GetChatPersonalDataQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetChatPersonalDataQuery): Promise<ChatPersonalDataView> {
    const empty: ChatPersonalDataView = { conversations: [], messages: [], requests: [], blocked: [], dmPolicy: 'everyone' };
    if (!isUuid(memberId)) return empty;
    const em = this.em.fork();
    const [conversations, messages, requests, blocks, settings] = await Promise.all([
      // A channel or group by its name; a DM by the other member's id.
      em.execute<{ id: string; kind: string; name: string | null; role: string; joined_at: Date; last_read_seq: number; other_id: string | null }[]>(
        `select c.id, c.kind, c.name_ja as name, m.role, m.joined_at, m.last_read_seq,
                (select o.member_id from networking.conversation_member o where c.kind = 'dm' and o.conversation_id = c.id and o.member_id <> m.member_id limit 1) as other_id
           from networking.conversation_member m join networking.conversation c on c.id = m.conversation_id
          where m.member_id = ? order by m.joined_at, c.id`,
        [memberId],
      ),
      em.execute<{ id: string; conversation_id: string; seq: number; body: string; created_at: Date; edited_at: Date | null; deleted_at: Date | null; hidden_reason: string | null }[]>(
        `select id, conversation_id, seq, body, created_at, edited_at, deleted_at, hidden_reason from networking.chat_message
          where author_id = ? order by created_at, id`,
        [memberId],
      ),
      em.execute<{ conversation_id: string; kind: string; status: string; message: string; created_at: Date }[]>(
        'select conversation_id, kind, status, message, created_at from networking.conversation_request where member_id = ? order by created_at',
        [memberId],
      ),
      em.execute<{ blocked_id: string; created_at: Date }[]>('select blocked_id, created_at from networking.member_block where blocker_id = ? order by created_at', [memberId]),
      em.execute<{ dm_policy: string }[]>('select dm_policy from networking.chat_setting where member_id = ?', [memberId]),
    ]);
    return {
      conversations: conversations.map((c) => ({
        conversationId: c.id,
        kind: c.kind,
        name: c.kind === 'dm' ? '' : (c.name ?? ''),
        withMemberId: c.other_id,
        role: c.role,
        joinedAt: at(c.joined_at),
        lastReadSeq: c.last_read_seq,
      })),
      messages: messages.map((m) => ({
        messageId: m.id,
        conversationId: m.conversation_id,
        seq: m.seq,
        body: m.body,
        createdAt: at(m.created_at),
        editedAt: iso(m.edited_at),
        deletedAt: iso(m.deleted_at),
        hiddenByModerators: m.hidden_reason !== null,
      })),
      requests: requests.map((r) => ({ conversationId: r.conversation_id, kind: r.kind, status: r.status, message: r.message, createdAt: at(r.created_at) })),
      blocked: blocks.map((b) => ({ memberId: b.blocked_id, since: at(b.created_at) })),
      dmPolicy: settings[0]?.dm_policy ?? 'everyone',
    };
  }
}
