import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryBus, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { ImageService } from '@libs/images/image.service';
import { ImagePurposes } from '@libs/images/image-purpose';
import { integrationEvent, Outbox } from '@libs/outbox';
import { bigramWordTokens, containsPattern, LONG_TEXT_MIN_WORD, queryWords } from '@libs/search/japanese-text';
import type { Viewer } from '@libs/security/access-policy';
import { FindMembersByNameQuery, type MemberNameView } from '@modules/membership/contracts';
import {
  CHAT_NOTICE_DELAY_MS,
  DeleteMessageCommand,
  EditMessageCommand,
  GetChatImageAccessQuery,
  ListMessagesQuery,
  MESSAGE_IMAGES_MAX,
  NetworkingEvents,
  REPLAY_MAX,
  SearchConversationQuery,
  SendMessageCommand,
  type ChatMessageCreatedEvent,
  type ChatSearchView,
  type MessagePageView,
  type MessageView,
} from '../contracts';
import { cleanMessageBody, messageExcerpt, messageMentionHandles, messageSearchKeys, renderMessage } from '../domain/chat-content';
import { canDeleteMessage, canEditMessage, canReadConversation, isValidClientId, messagePage, showsMessageText, type ConversationFacts } from '../domain/chat-rules';
import {
  CannotMessageError,
  ChatArchivedError,
  ChatNotFoundError,
  ChatNotJoinedError,
  ChatTooManyImagesError,
  ChatWordTooShortError,
  InvalidClientIdError,
  MessageNotEditableError,
} from '../domain/chat.errors';
import { snippetAround } from '../domain/post-content';
import { ChatFanout } from './chat-fanout';
import { ChatStore, MESSAGE_COLUMNS, type MessageRow, type ViewerConversationRow } from './chat-store';

const localeOf = (viewer: Viewer) => viewer.locale ?? 'ja';

/**
 * @mentions of members who may read the conversation: handle → member id. Channels: approved members of the
 * channel's audience; groups and DMs: their members. A name that matches two readers is left as text.
 */
async function resolveMentions(queries: QueryBus, store: ChatStore, body: string, row: ViewerConversationRow): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const handles = messageMentionHandles(body);
  if (handles.length === 0) return out;
  const statuses: ('employee' | 'alumni')[] = row.audience === 'alumni' ? ['alumni'] : row.audience === 'employees' ? ['employee'] : ['employee', 'alumni'];
  for (const handle of handles) {
    const found = await queries.execute(new FindMembersByNameQuery(handle, 'exact', statuses, row.kind === 'channel' ? 2 : 20));
    let readers = found.map((m) => m.memberId);
    if (row.kind !== 'channel' && readers.length) {
      const members = await store.sql<{ member_id: string }[]>('select member_id from networking.conversation_member where conversation_id = ? and member_id in (?)', [row.id, readers]);
      const inside = new Set(members.map((m) => m.member_id));
      readers = readers.filter((id) => inside.has(id));
    }
    if (readers.length === 1) out.set(handle, readers[0]);
  }
  return out;
}

/** The checks for writing in a conversation now (sending and editing). */
async function assertCanPost(store: ChatStore, viewer: Viewer, row: ViewerConversationRow, facts: ConversationFacts): Promise<void> {
  if (facts.archived) throw new ChatArchivedError();
  if (!facts.joined) throw new ChatNotJoinedError();
  if (row.kind === 'dm') {
    const other = ChatStore.otherOf(row, viewer.memberId);
    if (!other || !(await store.dmState(viewer, other)).open) throw new CannotMessageError();
  }
}

@CommandHandler(SendMessageCommand)
export class SendMessageHandler implements ICommandHandler<SendMessageCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly queries: QueryBus,
    private readonly images: ImageService,
    private readonly fanout: ChatFanout,
  ) {}

  /** The viewer's message with this client id in the conversation, as they see it (a resend answers it). */
  private async existing(viewer: Viewer, facts: ConversationFacts, conversationId: string, clientId: string): Promise<MessageView | null> {
    const rows = await this.store.sql<MessageRow[]>(
      `select ${MESSAGE_COLUMNS} from networking.chat_message x where x.conversation_id = ? and x.author_id = ? and x.client_id = ?`,
      [conversationId, viewer.memberId, clientId],
    );
    if (rows.length === 0) return null;
    return (await this.store.messageViews(viewer, facts, rows, localeOf(viewer)))[0];
  }

  async execute({ viewer, conversationId, input }: SendMessageCommand): Promise<{ message: MessageView; created: boolean }> {
    if (!isValidClientId(input?.clientId)) throw new InvalidClientIdError();
    const { row, facts } = await this.store.readable(viewer, conversationId);
    const clientId = input.clientId;
    const files = input.images ?? [];
    // A resend (after a timeout, a reconnect) answers the first message, whatever has changed since. Without
    // pictures the write itself finds it out (the unique client id), so a first send asks nothing more; pictures are
    // not ingested twice.
    if (files.length > 0) {
      const first = await this.existing(viewer, facts, row.id, clientId);
      if (first) return { message: first, created: false };
    }
    const body = cleanMessageBody(input.body);
    if (files.length > MESSAGE_IMAGES_MAX) throw new ChatTooManyImagesError(MESSAGE_IMAGES_MAX);
    try {
      await assertCanPost(this.store, viewer, row, facts);
    } catch (e) {
      const first = await this.existing(viewer, facts, row.id, clientId);
      if (first) return { message: first, created: false };
      throw e;
    }
    const mentions = await resolveMentions(this.queries, this.store, body, row);
    const mentionIds = [...new Set(mentions.values())].filter((id) => id !== viewer.memberId);
    const recipientIds = row.kind === 'dm' ? [ChatStore.otherOf(row, viewer.memberId)!] : [];
    const keys = messageSearchKeys(body);
    const id = randomUUID();
    const images: { id: string; width: number; height: number }[] = [];
    const discard = () => Promise.all(images.map((i) => this.images.discard(i.id)));
    try {
      for (const bytes of files) {
        const image = await this.images.ingest(bytes, { purpose: ImagePurposes.attachment, field: 'images' });
        const full = image.variants.find((v) => v.name === 'full')!;
        images.push({ id: image.id, width: full.width, height: full.height });
      }
    } catch (e) {
      await discard();
      throw e;
    }
    const event = integrationEvent(NetworkingEvents.chatMessageCreated, {
      messageId: id,
      conversationId: row.id,
      kind: row.kind,
      seq: 0,
      authorId: viewer.memberId,
      recipientIds,
      mentionIds,
    } satisfies Omit<ChatMessageCreatedEvent, 'eventId' | 'type' | 'occurredAt'>);
    const outbox = Outbox.message(event);
    // One statement: the conversation row's update takes the next seq and holds the row until commit, so sends to
    // one conversation are numbered one after the other without gaps. The message, its images, the sender's read
    // position and the notice (delayed, so that members reading live get no bell) are written with it, and the
    // message comes back for the answer and the broadcast. A second send with the same client id breaks the unique
    // (conversation, author, client id) and answers the first. A single statement is its own transaction; pictures
    // also change their own rows (attached), so a send with pictures runs in one.
    const statement = `with c as (
         update networking.conversation c set last_seq = c.last_seq + 1, last_message_at = clock_timestamp()
          where c.id = ? and c.archived_at is null
            and exists (select 1 from networking.conversation_member j where j.conversation_id = c.id and j.member_id = ?)
          returning c.id, c.last_seq, c.last_message_at
       ), x as (
         insert into networking.chat_message (id, conversation_id, seq, author_id, client_id, body, html, mentions, search_tokens, search_text, created_at)
         select ?, c.id, c.last_seq, ?, ?, ?, ?, ?::uuid[], ?::text[], ?, c.last_message_at from c
         returning ${MESSAGE_COLUMNS.replace(/x\./g, '')}
       ), i as (
         insert into networking.chat_message_image (image_id, message_id, conversation_id, position, width, height)
         select u.image_id, x.id, c.id, u.position - 1, u.width, u.height
           from c, x, unnest(?::text[], ?::int[], ?::int[]) with ordinality as u(image_id, width, height, position) returning 1
       ), r as (
         update networking.conversation_member m set last_read_seq = greatest(m.last_read_seq, c.last_seq)
           from c where m.conversation_id = c.id and m.member_id = ? returning 1
       ), o as (
         insert into platform.outbox (id, queue, name, payload, job_id, run_at, created_at)
         select ?, ?, ?, ?::jsonb || jsonb_build_object('seq', c.last_seq), ?, c.last_message_at + ? * interval '1 millisecond', now() from c returning 1
       )
       select ${MESSAGE_COLUMNS} from x`;
    const params = [
      row.id,
      viewer.memberId,
      id,
      viewer.memberId,
      clientId,
      body,
      renderMessage(body, mentions),
      arrayLiteral([...new Set(mentions.values())]),
      arrayLiteral(keys.tokens),
      keys.text,
      arrayLiteral(images.map((i) => i.id)),
      arrayLiteral(images.map((i) => String(i.width))),
      arrayLiteral(images.map((i) => String(i.height))),
      viewer.memberId,
      outbox.id,
      outbox.queue,
      outbox.name,
      JSON.stringify(outbox.payload),
      outbox.jobId,
      CHAT_NOTICE_DELAY_MS,
    ];
    const locale = localeOf(viewer);
    let written: MessageRow | null;
    let names: Map<string, MemberNameView>;
    try {
      // The author's name is read beside the write (another connection), not after it.
      [written, names] = await Promise.all([
        images.length === 0
          ? this.store.sql<MessageRow[]>(statement, params).then((rows) => rows[0] ?? null)
          : this.store.em.fork().transactional(async (tx) => {
              const rows = await tx.execute<MessageRow[]>(statement, params);
              if (rows.length === 0) return null;
              for (const image of images) this.images.attach(tx, image.id);
              return rows[0];
            }),
        this.store.names([viewer.memberId], locale),
      ]);
    } catch (e) {
      await discard();
      if (e instanceof UniqueConstraintViolationException) {
        const again = await this.existing(viewer, facts, row.id, clientId);
        if (again) return { message: again, created: false };
      }
      throw e;
    }
    if (!written) {
      // Archived or left in the meantime: say which, from the state now (a resend still answers the first).
      await discard();
      const first = await this.existing(viewer, facts, row.id, clientId);
      if (first) return { message: first, created: false };
      const now = await this.store.readable(viewer, row.id);
      await assertCanPost(this.store, viewer, now.row, now.facts);
      throw new ChatNotFoundError();
    }
    const attached = new Map(images.length ? [[written.id, images.map((i) => ({ id: i.id, width: i.width, height: i.height }))]] : []);
    const mine = ChatStore.messageView(viewer, facts, written, names, attached, locale);
    const broadcast = ChatStore.messageView(viewer, facts, written, names, attached, 'ja', true);
    this.fanout.messageCreated(broadcast);
    return { message: mine, created: true };
  }
}

@CommandHandler(EditMessageCommand)
export class EditMessageHandler implements ICommandHandler<EditMessageCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly queries: QueryBus,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, messageId, body }: EditMessageCommand): Promise<MessageView> {
    const { message, row, facts } = await this.store.message(viewer, messageId);
    const state = { authorId: message.author_id, deleted: message.deleted_at !== null, hidden: message.hidden_at !== null };
    const dmOpen = row.kind === 'dm' ? (await this.store.dmState(viewer, ChatStore.otherOf(row, viewer.memberId)!)).open : true;
    if (!canEditMessage(viewer, facts, state, dmOpen)) throw new MessageNotEditableError();
    const text = cleanMessageBody(body);
    const locale = localeOf(viewer);
    if (text === message.body) return (await this.store.freshMessage(viewer, facts, message.id, locale)).mine;
    const mentions = await resolveMentions(this.queries, this.store, text, row);
    const keys = messageSearchKeys(text);
    await this.store.sql(
      `update networking.chat_message set body = ?, html = ?, mentions = ?::uuid[], search_tokens = ?::text[], search_text = ?, edited_at = clock_timestamp()
        where id = ? and deleted_at is null and hidden_at is null`,
      [text, renderMessage(text, mentions), arrayLiteral([...new Set(mentions.values())]), arrayLiteral(keys.tokens), keys.text, message.id],
    );
    const { mine, broadcast } = await this.store.freshMessage(viewer, facts, message.id, locale);
    this.fanout.messageUpdated(broadcast);
    return mine;
  }
}

@CommandHandler(DeleteMessageCommand)
export class DeleteMessageHandler implements ICommandHandler<DeleteMessageCommand> {
  constructor(
    private readonly store: ChatStore,
    private readonly images: ImageService,
    private readonly fanout: ChatFanout,
  ) {}

  async execute({ viewer, messageId }: DeleteMessageCommand): Promise<MessageView> {
    const { message, facts } = await this.store.message(viewer, messageId);
    if (!canDeleteMessage(viewer, facts, { authorId: message.author_id, deleted: message.deleted_at !== null, hidden: message.hidden_at !== null })) throw new MessageNotEditableError();
    // The place (seq) stays; the text leaves search and every reader's screen, the images' files are erased.
    await this.store.em.fork().transactional(async (tx) => {
      const done = await tx.execute<unknown[]>(
        `update networking.chat_message set deleted_at = clock_timestamp(), search_tokens = '{}', search_text = '' where id = ? and deleted_at is null returning 1`,
        [message.id],
      );
      if (done.length === 0) return;
      const images = await tx.execute<{ image_id: string }[]>('select image_id from networking.chat_message_image where message_id = ?', [message.id]);
      for (const image of images) this.images.release(tx, image.image_id);
    });
    const { mine, broadcast } = await this.store.freshMessage(viewer, facts, message.id, localeOf(viewer));
    this.fanout.messageUpdated(broadcast);
    return mine;
  }
}

@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, conversationId, page }: ListMessagesQuery): Promise<MessagePageView> {
    const { row, facts } = await this.store.readable(viewer, conversationId);
    const p = messagePage(page);
    let rows: MessageRow[];
    let more: boolean;
    if (p.mode === 'after') {
      rows = await this.store.sql<MessageRow[]>(`select ${MESSAGE_COLUMNS} from networking.chat_message x where x.conversation_id = ? and x.seq > ? order by x.seq limit ?`, [row.id, p.seq, REPLAY_MAX + 1]);
      more = rows.length > REPLAY_MAX;
      rows = rows.slice(0, REPLAY_MAX);
    } else {
      rows = await this.store.sql<MessageRow[]>(
        `select ${MESSAGE_COLUMNS} from networking.chat_message x where x.conversation_id = ? ${p.seq !== null ? 'and x.seq < ?' : ''} order by x.seq desc limit ?`,
        p.seq !== null ? [row.id, p.seq, p.limit + 1] : [row.id, p.limit + 1],
      );
      more = rows.length > p.limit;
      rows = rows.slice(0, p.limit).reverse();
    }
    const items = await this.store.messageViews(viewer, facts, rows, localeOf(viewer!));
    return { items, more, lastSeq: Math.max(row.last_seq, ...rows.map((r) => r.seq)) };
  }
}

/** Search answers at most this many messages, and counts up to SEARCH_COUNT_MAX. */
const SEARCH_MAX = 50;
const SEARCH_COUNT_MAX = 1000;

@QueryHandler(SearchConversationQuery)
export class SearchConversationHandler implements IQueryHandler<SearchConversationQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, conversationId, q }: SearchConversationQuery): Promise<ChatSearchView> {
    const { row, facts } = await this.store.readable(viewer, conversationId);
    const all = queryWords(q);
    const words = all.filter((w) => [...w].length >= LONG_TEXT_MIN_WORD);
    if (words.length === 0) {
      if (all.length > 0) throw new ChatWordTooShortError();
      return { items: [], words: [], total: 0, more: false };
    }
    // Every word's bigrams through the GIN index, then a LIKE on the folded text for words longer than two.
    const where = ['x.conversation_id = ?', 'x.deleted_at is null', 'x.hidden_at is null', 'x.search_tokens @> ?::text[]'];
    const params: unknown[] = [row.id, arrayLiteral([...new Set(words.flatMap(bigramWordTokens))])];
    for (const w of words.filter((w) => [...w].length > 2)) {
      where.push('x.search_text like ?');
      params.push(containsPattern(w));
    }
    const rows = await this.store.sql<MessageRow[]>(`select ${MESSAGE_COLUMNS} from networking.chat_message x where ${where.join(' and ')} order by x.seq desc limit ?`, [...params, SEARCH_MAX + 1]);
    let total = rows.length;
    if (rows.length > SEARCH_MAX) {
      const [{ n }] = await this.store.sql<{ n: string }[]>(`select count(*) as n from (select 1 from networking.chat_message x where ${where.join(' and ')} limit ?) s`, [...params, SEARCH_COUNT_MAX]);
      total = Number(n);
    }
    const page = rows.slice(0, SEARCH_MAX);
    const views = await this.store.messageViews(viewer, facts, page, localeOf(viewer));
    return {
      items: views.map((v, i) => ({ ...v, snippet: snippetAround(messageExcerpt(page[i].body, Number.MAX_SAFE_INTEGER), words, 120) })),
      words,
      total,
      more: rows.length > SEARCH_MAX,
    };
  }
}

@QueryHandler(GetChatImageAccessQuery)
export class GetChatImageAccessHandler implements IQueryHandler<GetChatImageAccessQuery> {
  constructor(private readonly store: ChatStore) {}

  async execute({ viewer, imageId }: GetChatImageAccessQuery): Promise<boolean> {
    if (!viewer || typeof imageId !== 'string' || imageId.length === 0 || imageId.length > 64) return false;
    const [image] = await this.store.sql<{ conversation_id: string; author_id: string; deleted_at: Date | null; hidden_at: Date | null }[]>(
      `select m.conversation_id, m.author_id, m.deleted_at, m.hidden_at from networking.chat_message_image i join networking.chat_message m on m.id = i.message_id where i.image_id = ?`,
      [imageId],
    );
    if (!image) return false;
    const row = await this.store.load(viewer, image.conversation_id);
    if (!row) return false;
    const facts = ChatStore.facts(row);
    return canReadConversation(viewer, facts) && showsMessageText(viewer, facts, { authorId: image.author_id, deleted: image.deleted_at !== null, hidden: image.hidden_at !== null });
  }
}
