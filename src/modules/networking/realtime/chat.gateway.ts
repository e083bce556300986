import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { isUuid } from '@libs/ddd';
import { RedisConnections } from '@libs/queue/redis-connections';
import type { Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { sessionsEndedChannel } from '@libs/web/session-registry';
import { MarkNotificationsReadByLinkCommand } from '@modules/notifications/contracts';
import { ChatFanout } from '../application/chat-fanout';
import {
  GetConversationAccessQuery,
  ListChatSubscriptionsQuery,
  ListMessagesQuery,
  MarkConversationReadCommand,
  SendMessageCommand,
  type ConversationKind,
  type MessagePageView,
} from '../contracts';
import { conversationRoom, memberRoom, SocketChatSink } from './chat-socket-sink';
import { chatRelayChannel, playRelayed } from './chat-relay';
import { ChatPresence } from './presence';
import { SocketAuthenticator, SocketRefusedError, socketLocale, type SocketIdentity } from './socket-auth';
import {
  notFound,
  parseHistory,
  parseRead,
  parseSend,
  parseSubscribe,
  parseTyping,
  socketError,
  SocketEventError,
  unauthorized,
  type Ack,
  type PageAnswer,
  type SendAnswer,
  type SubscribeAnswer,
} from './socket-events';

/** Most messages one `subscribe` answers per conversation (REPLAY_MAX pages followed); beyond, `more` is true. */
export const BACKFILL_MAX = 2000;
/** One `typing` per socket and conversation in this many ms reaches the others; the rest are dropped. */
export const TYPING_INTERVAL_MS = 2000;
/** How often every local socket's session is checked again (a single sign-out ends its sockets within this). */
export const SESSION_SWEEP_MS = 60_000;

interface SocketState {
  identity: SocketIdentity;
  /** Conversation id → when this socket's last `typing` went out. */
  typing: Map<string, number>;
}

function stateOf(socket: Socket): SocketState | undefined {
  return (socket.data as { chat?: SocketState }).chat;
}

type Access = { kind: ConversationKind; read: boolean; post: boolean; member: boolean } | null;

/**
 * Chat over Socket.IO, on the web process's own port (path /socket.io). The handshake is the pages' session; every
 * event loads the viewer again and asks the core what they may do in that conversation now; sends are rate-limited
 * per member. Messages themselves reach sockets through ChatFanout after the core committed them.
 */
@WebSocketGateway({
  path: '/socket.io',
  serveClient: true,
  // WebSocket only: no long-polling, so several web processes behind a proxy need no sticky sessions.
  transports: ['websocket'],
  maxHttpBufferSize: 128 * 1024,
  pingInterval: 25_000,
  pingTimeout: 20_000,
})
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly kinds = new Map<string, ConversationKind>();
  private subscriber: Redis | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closing = false;

  @WebSocketServer()
  server: Server;

  constructor(
    private readonly orm: MikroORM,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly auth: SocketAuthenticator,
    private readonly presence: ChatPresence,
    private readonly rateLimits: RateLimitService,
    private readonly redis: RedisConnections,
    private readonly fanout: ChatFanout,
  ) {}

  // ---- Lifecycle ----

  afterInit(server: Server): void {
    server.use((socket, next) => {
      this.auth.authenticate(socket.handshake).then(
        (identity) => {
          (socket.data as { chat?: SocketState }).chat = { identity, typing: new Map() };
          next();
        },
        (e: unknown) => {
          const code = e instanceof SocketRefusedError ? e.code : 'unavailable';
          if (!(e instanceof SocketRefusedError)) this.logger.warn(`handshake failed: ${e instanceof Error ? e.message : String(e)}`);
          const refusal = new Error(code) as Error & { data?: unknown };
          refusal.data = { code };
          next(refusal);
        },
      );
    });

    this.fanout.attach(new SocketChatSink(server, (id) => this.kindOf(id), (e) => this.logger.warn(`fan-out: ${String(e)}`)));

    // "Sign out everywhere", suspension and account deletion: every web process drops that member's sockets.
    // Chat changes the worker made (moderation decisions): played to this process's own sockets only.
    const endedChannel = sessionsEndedChannel(this.redis.prefix);
    const relayChannel = chatRelayChannel(this.redis.prefix);
    const localSink = new SocketChatSink(server.local, (id) => this.kindOf(id), (e) => this.logger.warn(`relayed fan-out: ${String(e)}`));
    const subscriber = this.redis.client.duplicate({ connectionName: 'kizuna-chat-pubsub' });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel === endedChannel) server.local.in(memberRoom(payload)).disconnectSockets(true);
      else if (channel === relayChannel && !playRelayed(localSink, payload)) this.logger.warn('dropped a malformed relayed chat change');
    });
    void subscriber.subscribe(endedChannel, relayChannel).catch((e: unknown) => this.logger.error(`cannot subscribe to ended sessions and chat changes: ${String(e)}`));
    this.subscriber = subscriber;

    this.presence.start();
    this.sweepTimer = setInterval(() => void this.sweepSessions(), SESSION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  handleConnection(socket: Socket): void {
    const state = stateOf(socket);
    if (!state) {
      socket.disconnect(true);
      return;
    }
    void socket.join(memberRoom(state.identity.memberId));
    this.presence.connected(state.identity.memberId);
  }

  handleDisconnect(socket: Socket): void {
    const state = stateOf(socket);
    if (state && !this.closing) this.presence.disconnected(state.identity.memberId);
  }

  /** Runs before the Socket.IO server closes (which disconnects every socket): presence goes, listeners stop. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.fanout.attach(null);
    await this.presence.stop();
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  // ---- Events ----

  /**
   * `subscribe {conversations: {[id]: lastSeq}}`: joins the rooms of every conversation the viewer receives (and of
   * readable ones asked about, such as a channel an operator reads without having joined), then answers the messages
   * after each given seq. Joining first means nothing falls between the backfill and the live messages; the client
   * drops duplicates by seq.
   */
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack<SubscribeAnswer>> {
    return this.handle(socket, async (viewer) => {
      const wanted = parseSubscribe(payload);
      const subscribed = await this.queries.execute(new ListChatSubscriptionsQuery(viewer));
      const receive = new Set(subscribed.map((s) => s.conversationId));
      const answers: Record<string, PageAnswer> = {};
      const readable = new Set<string>();
      for (const id of wanted.keys()) {
        if (receive.has(id)) continue;
        try {
          const access = isUuid(id) ? await this.access(viewer, id) : null;
          if (access?.read) readable.add(id);
          else answers[id] = this.failure(notFound(), socket);
        } catch (e) {
          answers[id] = this.failure(e, socket);
        }
      }
      // Rooms of conversations the viewer no longer receives (left or removed while this socket lived) are left.
      for (const room of socket.rooms) {
        if (room.startsWith('conv:') && !receive.has(room.slice(5)) && !readable.has(room.slice(5))) void socket.leave(room);
      }
      await socket.join([...receive, ...readable].map(conversationRoom));
      for (const [id, after] of wanted) {
        if (answers[id]) continue;
        answers[id] = await this.backfill(viewer, id, after).then(
          (page): PageAnswer => ({ ok: true, ...page }),
          (e: unknown) => this.failure(e, socket),
        );
      }
      return { subscribed, conversations: answers };
    });
  }

  /** `message:send {conversationId, clientId, body}` → `{ok, message, created}`. */
  @SubscribeMessage('message:send')
  send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack<SendAnswer>> {
    return this.handle(socket, async (viewer) => {
      const input = parseSend(payload);
      // The command checks the viewer's rights in the conversation now (not found, not joined, archived, a closed
      // DM) in the same reads it needs for the write; the limit counts attempts.
      await this.rateLimits.consume('chat:message', viewer.memberId);
      const { message, created } = await this.commands.execute(new SendMessageCommand(viewer, input.conversationId, { clientId: input.clientId, body: input.body }));
      return { message, created };
    });
  }

  /** `history {conversationId, before?, after?, limit?}` → a page of messages (ascending seq). */
  @SubscribeMessage('history')
  history(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack<MessagePageView>> {
    return this.handle(socket, async (viewer) => {
      const input = parseHistory(payload);
      await this.readable(viewer, input.conversationId);
      return this.queries.execute(new ListMessagesQuery(viewer, input.conversationId, input.page));
    });
  }

  /** `read {conversationId, seq}` → `{ok, lastReadSeq}`; the member's other sockets (and, in DMs and groups, the others) get `read`. */
  @SubscribeMessage('read')
  read(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack<{ lastReadSeq: number }>> {
    return this.handle(socket, async (viewer) => {
      const input = parseRead(payload);
      await this.readable(viewer, input.conversationId);
      const answer = await this.commands.execute(new MarkConversationReadCommand(viewer, input.conversationId, input.seq));
      // Reading the conversation live: the bell's notices about it have been seen.
      await this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer, [`/chat/c/${input.conversationId}`]));
      return answer;
    });
  }

  /** `typing {conversationId}`: shown to the others in the conversation for a moment; nothing is stored. */
  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack<{ sent: boolean }>> {
    return this.handle(socket, async (viewer, state) => {
      const { conversationId } = parseTyping(payload);
      const last = state.typing.get(conversationId) ?? 0;
      if (Date.now() - last < TYPING_INTERVAL_MS) return { sent: false };
      state.typing.set(conversationId, Date.now());
      if (state.typing.size > 100) state.typing.delete(state.typing.keys().next().value as string);
      const access = await this.readable(viewer, conversationId);
      if (!access.post) throw new SocketEventError('forbidden', 'networking.realtime.errors.cannotPost');
      socket
        .to(conversationRoom(conversationId))
        .except(memberRoom(viewer.memberId))
        .emit('typing', { conversationId, member: { memberId: viewer.memberId, displayName: viewer.displayName, deleted: false } });
      return { sent: true };
    });
  }

  // ---- Helpers ----

  /**
   * One event: a fresh entity manager, the viewer loaded again from the socket's session (gone: the answer says
   * `unauthorized` and the socket is disconnected), then the work; whatever it throws becomes `{ok: false, error}`.
   */
  private async handle<T extends object>(socket: Socket, work: (viewer: Viewer, state: SocketState) => Promise<T>): Promise<Ack<T>> {
    const state = stateOf(socket);
    if (!state) return this.failure(unauthorized(), socket);
    try {
      return await RequestContext.create(this.orm.em.fork(), async () => {
        const viewer = await this.auth.reload(state.identity);
        if (!viewer) {
          setImmediate(() => socket.disconnect(true));
          throw unauthorized();
        }
        return { ok: true as const, ...(await work(viewer, state)) };
      });
    } catch (e) {
      return this.failure(e, socket);
    }
  }

  private failure(e: unknown, socket: Socket): { ok: false; error: ReturnType<typeof socketError>['error'] } {
    const state = stateOf(socket);
    const { error, expected } = socketError(e, state ? socketLocale(state.identity) : 'ja');
    if (!expected) this.logger.error({ err: e }, 'chat socket event failed');
    return { ok: false, error };
  }

  private async access(viewer: Viewer, conversationId: string): Promise<Access> {
    const access = await this.queries.execute(new GetConversationAccessQuery(viewer, conversationId));
    if (access) this.rememberKind(conversationId, access.kind);
    return access;
  }

  /** The viewer's rights in a conversation they may read; not found otherwise (the same answer as for none at all). */
  private async readable(viewer: Viewer, conversationId: string): Promise<NonNullable<Access>> {
    const access = await this.access(viewer, conversationId);
    if (!access?.read) throw notFound();
    return access;
  }

  private async backfill(viewer: Viewer, conversationId: string, after: number): Promise<MessagePageView> {
    const page = await this.queries.execute(new ListMessagesQuery(viewer, conversationId, { after }));
    const items = [...page.items];
    let more = page.more;
    let lastSeq = page.lastSeq;
    while (more && items.length < BACKFILL_MAX && items.length > 0) {
      const next = await this.queries.execute(new ListMessagesQuery(viewer, conversationId, { after: items[items.length - 1].seq }));
      items.push(...next.items);
      more = next.more;
      lastSeq = next.lastSeq;
      if (next.items.length === 0) break;
    }
    return { items, more, lastSeq };
  }

  private rememberKind(conversationId: string, kind: ConversationKind): void {
    if (this.kinds.size >= 20_000) this.kinds.delete(this.kinds.keys().next().value as string);
    this.kinds.set(conversationId, kind);
  }

  /** A conversation's kind never changes: read once from the table and kept (for read receipts). */
  private async kindOf(conversationId: string): Promise<ConversationKind | null> {
    const known = this.kinds.get(conversationId);
    if (known) return known;
    const rows = await this.orm.em.fork().getConnection().execute<{ kind: ConversationKind }[]>(`select kind from networking.conversation where id = ?`, [conversationId]);
    const kind = rows[0]?.kind ?? null;
    if (kind) this.rememberKind(conversationId, kind);
    return kind;
  }

  /** A session ended on its own (signed out in one browser, expired): its sockets go at the next sweep. */
  private async sweepSessions(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.server.of('/').sockets.values()) {
      const state = stateOf(socket);
      if (!state || this.closing) continue;
      try {
        if (!(await this.auth.reload(state.identity))) socket.disconnect(true);
      } catch {
        /* Redis or the database is away: try again at the next sweep */
      }
    }
  }
}
