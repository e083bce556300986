import type { Server } from 'socket.io';
import type { ChatFanoutSink } from '../application/chat-fanout';
import type { ConversationKind, MessageView } from '../contracts';

/** Rooms: every socket of a member is in `member:<id>`; a socket receiving a conversation is in `conv:<id>`. */
export const memberRoom = (memberId: string) => `member:${memberId}`;
export const conversationRoom = (conversationId: string) => `conv:${conversationId}`;

/** Broadcasts never carry the typed text (`body`): readers get the sanitised html only. */
function broadcastView(message: MessageView): MessageView {
  return { ...message, body: null };
}

/**
 * What chat commands tell sockets, emitted through the Socket.IO server: its Redis adapter carries every emit and
 * every room change to the sockets of all web processes.
 */
export class SocketChatSink implements ChatFanoutSink {
  constructor(
    private readonly server: Pick<Server, 'to' | 'in'>,
    /** The kind of a conversation (read receipts go to DM and group rooms only, not to a whole channel). */
    private readonly kindOf: (conversationId: string) => Promise<ConversationKind | null>,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  messageCreated(message: MessageView): void {
    this.server.to(conversationRoom(message.conversationId)).emit('message', broadcastView(message));
  }

  messageUpdated(message: MessageView): void {
    this.server.to(conversationRoom(message.conversationId)).emit('message:updated', broadcastView(message));
  }

  readMoved(conversationId: string, memberId: string, seq: number): void {
    const payload = { conversationId, memberId, seq };
    this.kindOf(conversationId).then(
      (kind) => {
        // In a channel only the member's own tabs follow their read position; in DMs and groups the others see it.
        if (kind === 'channel' || kind === null) this.server.to(memberRoom(memberId)).emit('read', payload);
        else this.server.to([conversationRoom(conversationId), memberRoom(memberId)]).emit('read', payload);
      },
      (e: unknown) => {
        this.server.to(memberRoom(memberId)).emit('read', payload);
        this.onError(e);
      },
    );
  }

  membershipChanged(conversationId: string, memberId: string, joined: boolean): void {
    const sockets = this.server.in(memberRoom(memberId));
    if (joined) {
      sockets.socketsJoin(conversationRoom(conversationId));
      this.server.to(memberRoom(memberId)).emit('conversation:changed', { conversationId });
    } else {
      sockets.socketsLeave(conversationRoom(conversationId));
      this.server.to(memberRoom(memberId)).emit('conversation:left', { conversationId });
    }
  }

  conversationChanged(conversationId: string): void {
    this.server.to(conversationRoom(conversationId)).emit('conversation:changed', { conversationId });
  }

  async receivers(conversationId: string): Promise<string[]> {
    const sockets = await this.server.in(conversationRoom(conversationId)).fetchSockets();
    const ids = new Set<string>();
    for (const socket of sockets) {
      const memberId = (socket.data as { chat?: { identity?: { memberId?: unknown } } } | undefined)?.chat?.identity?.memberId;
      if (typeof memberId === 'string') ids.add(memberId);
    }
    return [...ids];
  }
}
