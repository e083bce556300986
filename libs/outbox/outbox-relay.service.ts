import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Queue } from 'bullmq';
import { AppConfig } from '@libs/config';
import { DEFAULT_JOB_OPTIONS } from '@libs/queue/queue.module';

interface PendingRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
  job_id: string;
  run_at: Date | null;
}

/**
 * Moves committed outbox rows to BullMQ. Several workers can run it: rows are claimed with SKIP LOCKED, and the
 * BullMQ job id is the outbox row's job id, so a row relayed twice (crash between add and update) is added once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: { url: this.config.redisUrl, maxRetriesPerRequest: null },
        prefix: `${this.config.redisPrefix}:bull`,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayBatch(limit = 200): Promise<number> {
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      const rows = await tx.execute<PendingRow[]>(
        `select id, queue, name, payload, job_id, run_at from platform.outbox
          where relayed_at is null order by created_at limit ? for update skip locked`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      for (const row of rows) {
        const delay = row.run_at ? Math.max(0, new Date(row.run_at).getTime() - now) : undefined;
        await this.queue(row.queue).add(row.name, row.payload, { jobId: row.job_id, delay });
      }
      await tx.execute('update platform.outbox set relayed_at = now() where id in (?)', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Relays until the outbox is empty (used by tests and at start-up). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch();
      total += moved;
      if (moved === 0) return total;
    }
  }

  onApplicationBootstrap(): void {
    if (process.env.KIZUNA_OUTBOX_RELAY === 'off') return;
    const tick = async () => {
      if (this.stopped) return;
      let moved = 0;
      try {
        this.running = this.relayBatch();
        moved = await this.running;
      } catch (e) {
        this.logger.warn(`outbox relay failed: ${(e as Error).message}`);
      } finally {
        this.running = undefined;
      }
      if (!this.stopped) this.timer = setTimeout(tick, moved > 0 ? 0 : 250);
    };
    this.timer = setTimeout(tick, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
