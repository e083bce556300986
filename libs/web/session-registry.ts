import { Injectable } from '@nestjs/common';
import { RedisConnections } from '@libs/queue/redis-connections';

export const SESSION_TTL_SECONDS = 14 * 24 * 3600;
/**
 * A visitor who is not signed in keeps a session only for the CSRF token of the form in front of them: two hours after
 * their last request it is gone, so crawlers and one-off visits do not leave sessions in Redis for two weeks.
 */
export const ANONYMOUS_SESSION_TTL_SECONDS = 2 * 3600;
/** A session in use is saved again (sliding its expiry) once 1/SESSION_REFRESH_PARTS of its lifetime has gone by since it was last saved. */
export const SESSION_REFRESH_PARTS = 24;

/**
 * The Redis pub/sub channel on which "every session of this member ended" is announced (payload: the member id).
 * Each web process listens and disconnects that member's sockets at once.
 */
export function sessionsEndedChannel(prefix: string): string {
  return `${prefix}:sessions-ended`;
}

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

  /**
   * Deletes every session of the member and tells every web process, whose sockets of that member disconnect at once
   * (suspension, "sign out everywhere", account deletion). Returns how many sessions were live.
   */
  async destroyAll(memberId: string): Promise<number> {
    const sids = await this.redis.client.smembers(this.setKey(memberId));
    let deleted = 0;
    if (sids.length > 0) {
      deleted = await this.redis.client.del(...sids.map((sid) => this.sessionKey(sid)));
      await this.redis.client.del(this.setKey(memberId));
    }
    await this.redis.client.publish(sessionsEndedChannel(this.redis.prefix), memberId);
    return deleted;
  }
}
