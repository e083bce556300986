import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { ReencodeLegacyPhotosCommand, type ReencodeLegacyPhotosResult } from '../application/update-profile/reencode-legacy-photos.handler';
import { PHOTOS_QUEUE, REENCODE_LEGACY_PHOTOS_JOB, REENCODE_LEGACY_PHOTOS_JOB_ID } from './photos.queue';

/**
 * Re-encodes profile photos stored as uploaded (queued by migration 20261205110000 through the outbox). Redis may lose
 * a queued job (it keeps nothing on disk here), so the worker queues it again at start while any such photo remains.
 */
@Processor(PHOTOS_QUEUE, { concurrency: 1, lockDuration: 120_000 })
export class ReencodeLegacyPhotosProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReencodeLegacyPhotosProcessor.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly em: EntityManager,
    @InjectQueue(PHOTOS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const [{ n }] = await this.em.fork().execute<{ n: string }[]>('select count(*) as n from membership.profile where legacy_photo_key is not null');
      if (Number(n) > 0) await this.queue.add(REENCODE_LEGACY_PHOTOS_JOB, {}, { jobId: REENCODE_LEGACY_PHOTOS_JOB_ID });
    } catch (e) {
      this.logger.warn(`could not check for photos to re-encode: ${(e as Error).message}`);
    }
  }

  async process(): Promise<ReencodeLegacyPhotosResult> {
    const result = await this.commands.execute(new ReencodeLegacyPhotosCommand());
    this.logger.log(`profile photos re-encoded: ${result.reencoded}, kept newer: ${result.superseded}, dropped: ${result.dropped}, stray files removed: ${result.strayFilesRemoved}`);
    return result;
  }
}
