import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RedisConnections } from '@libs/queue/redis-connections';
import { ChatFanout, type ChatFanoutSink } from '../application/chat-fanout';
import type { MessageView } from '../contracts';

/**
 * Chat changes made outside the web processes (the worker applying a moderation decision) reach connected sockets
 * through this Redis pub/sub channel: the worker publishes each fan-out call, and every web process's gateway plays it
 * to its own sockets only (Socket.IO's `local`), so each socket gets it once.
 */
export function chatRelayChannel(prefix: string): string {
  return `${prefix}:chat:relay`;
}

const OPERATIONS = ['messageCreated', 'messageUpdated', 'readMoved', 'membershipChanged', 'conversationChanged'] as const;
type Operation = (typeof OPERATIONS)[number];

interface Relayed {
  op: Operation;
  args: unknown[];
}

/** A fan-out sink that publishes every call on the relay channel. */
export class RedisRelayChatSink implements ChatFanoutSink {
  constructor(
    private readonly publish: (payload: string) => Promise<unknown>,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  private send(op: Operation, args: unknown[]): void {
    const payload: Relayed = { op, args };
    this.publish(JSON.stringify(payload)).catch(this.onError);
  }

  messageCreated(message: MessageView): void {
    this.send('messageCreated', [message]);
  }

  messageUpdated(message: MessageView): void {
    this.send('messageUpdated', [message]);
  }

  readMoved(conversationId: string, memberId: string, seq: number): void {
    this.send('readMoved', [conversationId, memberId, seq]);
  }

  membershipChanged(conversationId: string, memberId: string, joined: boolean): void {
    this.send('membershipChanged', [conversationId, memberId, joined]);
  }

  conversationChanged(conversationId: string): void {
    this.send('conversationChanged', [conversationId]);
  }
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

/** Plays one relayed call on `sink`; answers false for anything malformed (which is dropped). */
export function playRelayed(sink: ChatFanoutSink, raw: string): boolean {
  let parsed: Relayed;
  try {
    parsed = JSON.parse(raw) as Relayed;
  } catch {
    return false;
  }
  if (!parsed || !OPERATIONS.includes(parsed.op) || !Array.isArray(parsed.args)) return false;
  const [a, b, c] = parsed.args;
  switch (parsed.op) {
    case 'messageCreated':
    case 'messageUpdated': {
      const message = a as MessageView;
      if (!message || typeof message !== 'object' || !isId(message.conversationId) || !isId(message.id)) return false;
      sink[parsed.op](message);
      return true;
    }
    case 'readMoved':
      if (!isId(a) || !isId(b) || typeof c !== 'number') return false;
      sink.readMoved(a, b, c);
      return true;
    case 'membershipChanged':
      if (!isId(a) || !isId(b) || typeof c !== 'boolean') return false;
      sink.membershipChanged(a, b, c);
      return true;
    case 'conversationChanged':
      if (!isId(a)) return false;
      sink.conversationChanged(a);
      return true;
  }
  return false;
}

/**
 * In the worker, where no gateway attaches sockets: chat's fan-out calls are published on the relay channel for the
 * web processes.
 */
@Injectable()
export class ChatRelayPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChatRelayPublisher.name);

  constructor(
    private readonly fanout: ChatFanout,
    private readonly redis: RedisConnections,
  ) {}

  onApplicationBootstrap(): void {
    if (this.fanout.attached) return;
    const channel = chatRelayChannel(this.redis.prefix);
    this.fanout.attach(new RedisRelayChatSink((payload) => this.redis.client.publish(channel, payload), (e) => this.logger.warn(`chat relay: ${String(e)}`)));
  }
}
