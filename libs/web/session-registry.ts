import { Injectable } from '@nestjs/common';
import { RedisConnections } from '@libs/queue/redis-connections';

export const SESSION_TTL_SECONDS = 14 * 24 * 3600;
/**
 * A visitor who is not signed in keeps a session only for the CSRF token of the form in front of them: two hours after
 * their last request it is gone, so crawlers and one-off visits do not leave sessions in Redis for two weeks.
 */
export const ANONYMOUS_SESSION_TTL_SECONDS = 2 * 3600;

/** Knows each member's sessions so that "log out everywhere" and suspension can delete them from Redis. */
@Injectable()
export class SessionRegistry {
  constructor(private readonly redis: RedisConnections) {}

  sessionKey(sid: string): string {
    return `${this.redis.prefix}:sess:${sid}`;
  }

  private setKey(memberId: string): string {
    return `${this.redis.prefix}:member-sessions:${memberId}`;
  }

  async track(memberId: string, sid: string): Promise<void> {
    await this.redis.client.multi().sadd(this.setKey(memberId), sid).expire(this.setKey(memberId), SESSION_TTL_SECONDS).exec();
  }

  async forget(memberId: string, sid: string): Promise<void> {
    await this.redis.client.srem(this.setKey(memberId), sid);
  }

  /** Deletes every session of the member; returns how many were live. */
  async destroyAll(memberId: string): Promise<number> {
    const sids = await this.redis.client.smembers(this.setKey(memberId));
    if (sids.length === 0) return 0;
    const deleted = await this.redis.client.del(...sids.map((sid) => this.sessionKey(sid)));
    await this.redis.client.del(this.setKey(memberId));
    return deleted;
  }
}
