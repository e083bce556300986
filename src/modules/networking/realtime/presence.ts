import { Injectable, Logger } from '@nestjs/common';
import { RedisConnections } from '@libs/queue/redis-connections';

/** How often a web process says again that its members are online, and how long one saying lasts. */
export const PRESENCE_REFRESH_MS = 30_000;
export const PRESENCE_TTL_MS = 75_000;

/** The Redis sorted set GetChatPresenceQuery reads: member id → epoch ms until which they count as online. */
export function presenceKey(prefix: string): string {
  return `${prefix}:chat:presence`;
}

/**
 * Who has a live socket, kept in one sorted set for every web process. This process counts its own sockets per
 * member: the first one adds the member (expiring in 75 s), a timer refreshes every local member every 30 s (and drops
 * entries that expired, such as those of a process that died), and the last local socket going removes the member —
 * another process that still has one of theirs adds them back at its next refresh.
 */
@Injectable()
export class ChatPresence {
  private readonly logger = new Logger(ChatPresence.name);
  private readonly local = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly redis: RedisConnections) {}

  private get key(): string {
    return presenceKey(this.redis.prefix);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.refresh(), PRESENCE_REFRESH_MS);
    this.timer.unref();
  }

  /** Members with a socket in this process. */
  members(): string[] {
    return [...this.local.keys()];
  }

  connected(memberId: string): void {
    const count = (this.local.get(memberId) ?? 0) + 1;
    this.local.set(memberId, count);
    if (count === 1) this.write(this.redis.client.zadd(this.key, Date.now() + PRESENCE_TTL_MS, memberId));
  }

  disconnected(memberId: string): void {
    const count = (this.local.get(memberId) ?? 0) - 1;
    if (count > 0) {
      this.local.set(memberId, count);
      return;
    }
    this.local.delete(memberId);
    this.write(this.redis.client.zrem(this.key, memberId));
  }

  async refresh(): Promise<void> {
    const now = Date.now();
    const multi = this.redis.client.multi().zremrangebyscore(this.key, '-inf', now);
    const members = this.members();
    for (let i = 0; i < members.length; i += 500) {
      const args: (string | number)[] = [];
      for (const id of members.slice(i, i + 500)) args.push(now + PRESENCE_TTL_MS, id);
      multi.zadd(this.key, ...args);
    }
    await multi.exec().then(
      () => undefined,
      (e: unknown) => this.logger.warn(`presence refresh failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** On shutdown: this process's members go at once (those with sockets elsewhere come back at that process's refresh). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const members = this.members();
    this.local.clear();
    if (members.length) await this.redis.client.zrem(this.key, ...members).catch(() => undefined);
  }

  private write(command: Promise<unknown>): void {
    command.catch((e: unknown) => this.logger.warn(`presence update failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}
