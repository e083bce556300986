import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { PRIVACY_QUEUES } from '../contracts/data-export';
import { DATA_EXPORT_STALE_AFTER_MS, DataExport } from '../domain/data-export.entity';

export const PRIVACY_MAINTENANCE_SCHEDULER = 'privacy-maintenance';
export const PRIVACY_MAINTENANCE_EVERY_MS = 60 * 60_000;

/**
 * Each export's content is erased by a delayed job when its link runs out. Redis may lose delayed jobs (it keeps
 * nothing on disk here), so every hour, and when the worker starts, every export past its expiry is erased and every
 * export stuck in preparation is marked failed. Erasing twice changes nothing.
 */
@Processor(PRIVACY_QUEUES.maintenance)
export class PrivacyMaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(PrivacyMaintenanceProcessor.name);

  constructor(
    private readonly em: EntityManager,
    @InjectQueue(PRIVACY_QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(PRIVACY_MAINTENANCE_SCHEDULER, { every: PRIVACY_MAINTENANCE_EVERY_MS }, { name: 'erase-expired', data: {} });
    } catch (e) {
      this.logger.warn(`could not register the privacy maintenance job: ${(e as Error).message}`);
    }
    void this.eraseExpired().catch((e: unknown) => this.logger.warn(`privacy maintenance at start-up failed: ${(e as Error).message}`));
  }

  async process(): Promise<{ changed: number }> {
    return { changed: await this.eraseExpired() };
  }

  /** Answers how many exports were erased or marked failed. */
  async eraseExpired(): Promise<number> {
    const changed = await this.em.fork().getRepository(DataExport).eraseExpired({ staleAfterMs: DATA_EXPORT_STALE_AFTER_MS });
    if (changed > 0) this.logger.log(`erased or closed ${changed} data exports`);
    return changed;
  }
}
