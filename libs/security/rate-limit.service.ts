import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '@libs/ddd';
import { RedisConnections } from '@libs/queue/redis-connections';

export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

/** Rate limits kept in Redis, so every web process shares them. */
export const RATE_LIMITS = {
  'login:ip': { points: 100, durationSeconds: 15 * 60 },
  'login:account': { points: 8, durationSeconds: 15 * 60 },
  'signup:ip': { points: 10, durationSeconds: 60 * 60 },
  'reset:ip': { points: 10, durationSeconds: 60 * 60 },
  'reset:account': { points: 3, durationSeconds: 60 * 60 },
  'write:member': { points: 120, durationSeconds: 60 },
  /** New forum threads and replies per member. */
  'forum:thread': { points: 10, durationSeconds: 60 * 60 },
  'forum:post': { points: 60, durationSeconds: 10 * 60 },
  /** Chat messages per member (the JSON API and the socket share it). */
  'chat:message': { points: 30, durationSeconds: 10 },
  /** New comments on articles per member. */
  'content:comment': { points: 30, durationSeconds: 10 * 60 },
} satisfies Record<string, RateLimitRule>;
export type RateLimitBucket = keyof typeof RATE_LIMITS;

@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly limiters = new Map<RateLimitBucket, RateLimiterRedis>();

  constructor(private readonly redis: RedisConnections) {}

  private limiter(bucket: RateLimitBucket): RateLimiterRedis {
    let limiter = this.limiters.get(bucket);
    if (!limiter) {
      const rule = RATE_LIMITS[bucket];
      limiter = new RateLimiterRedis({
        storeClient: this.redis.client,
        keyPrefix: `${this.redis.prefix}:rl:${bucket}`,
        points: rule.points,
        duration: rule.durationSeconds,
        useRedisPackage: false,
      });
      this.limiters.set(bucket, limiter);
    }
    return limiter;
  }

  /** Counts one attempt; throws TooManyRequestsError when the bucket is empty. */
  async consume(bucket: RateLimitBucket, key: string): Promise<void> {
    try {
      await this.limiter(bucket).consume(key.toLowerCase());
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyRequestsError(e.msBeforeNext / 1000);
      throw e;
    }
  }

  /** Throws TooManyRequestsError when the bucket is already empty, without counting an attempt. */
  async ensureAvailable(bucket: RateLimitBucket, key: string): Promise<void> {
    const state = await this.limiter(bucket).get(key.toLowerCase());
    if (state && state.consumedPoints >= RATE_LIMITS[bucket].points) throw new TooManyRequestsError(state.msBeforeNext / 1000);
  }

  async reset(bucket: RateLimitBucket, key: string): Promise<void> {
    await this.limiter(bucket).delete(key.toLowerCase());
  }

  onModuleDestroy(): void {
    this.limiters.clear();
  }
}
