import { Injectable } from '@nestjs/common';
import type { MessageView } from '../contracts';

/**
 * What chat commands tell connected sockets after they commit. Delivery is best effort: PostgreSQL holds every
 * message, and a client that missed one replays it with `after=SEQ`. In the web process the chat gateway attaches a
 * sink that emits through Socket.IO (and its Redis adapter, so every web process's sockets get it); elsewhere (the
 * worker, tests without sockets) nothing is attached and these calls do nothing.
 */
export interface ChatFanoutSink {
  messageCreated(message: MessageView): void;
  /** Edited, deleted or hidden (hidden and deleted ones carry empty html). */
  messageUpdated(message: MessageView): void;
  /** A member's read position moved (DM read receipts, and the member's other tabs). */
  readMoved(conversationId: string, memberId: string, seq: number): void;
  /** The member's sockets start (joined) or stop (left, removed) receiving the conversation, at once. */
  membershipChanged(conversationId: string, memberId: string, joined: boolean): void;
  /** The conversation itself changed (renamed, archived, ownership): clients refresh its header. */
  conversationChanged(conversationId: string): void;
  /**
   * Members with a socket receiving the conversation now (on every web process), joined or only reading it. Only a
   * sink that holds sockets knows (the worker's relay does not).
   */
  receivers?(conversationId: string): Promise<string[]>;
}

@Injectable()
export class ChatFanout implements ChatFanoutSink {
  private sink: ChatFanoutSink | null = null;

  attach(sink: ChatFanoutSink | null): void {
    this.sink = sink;
  }

  get attached(): boolean {
    return this.sink !== null;
  }

  messageCreated(message: MessageView): void {
    this.sink?.messageCreated(message);
  }

  messageUpdated(message: MessageView): void {
    this.sink?.messageUpdated(message);
  }

  readMoved(conversationId: string, memberId: string, seq: number): void {
    this.sink?.readMoved(conversationId, memberId, seq);
  }

  membershipChanged(conversationId: string, memberId: string, joined: boolean): void {
    this.sink?.membershipChanged(conversationId, memberId, joined);
  }

  conversationChanged(conversationId: string): void {
    this.sink?.conversationChanged(conversationId);
  }

  receivers(conversationId: string): Promise<string[]> {
    return this.sink?.receivers ? this.sink.receivers(conversationId) : Promise.resolve([]);
  }
}
