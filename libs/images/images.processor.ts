import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Job, Queue } from 'bullmq';
import { runOnce } from '@libs/outbox/run-once';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { ERASE_IMAGE_JOB, ImageService, SWEEP_IMAGES_JOB, type EraseImagePayload } from './image.service';

export const IMAGES_SWEEP_SCHEDULER = 'images-sweep';
export const IMAGES_SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The images queue: `erase` removes a released image's files once the release has committed (`image-erase:<id>` in
 * platform.processed_job makes it run once); `sweep`, every hour and when the worker starts, erases images that were
 * ingested but never attached by a committed change (a failed request, a stopped process). Both are idempotent.
 */
@Processor(IMAGES_QUEUE)
export class ImagesProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImagesProcessor.name);

  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
    @InjectQueue(IMAGES_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(IMAGES_SWEEP_SCHEDULER, { every: IMAGES_SWEEP_EVERY_MS }, { name: SWEEP_IMAGES_JOB, data: {} });
    } catch (e) {
      this.logger.warn(`could not register the image upkeep job: ${(e as Error).message}`);
    }
    void this.sweep().catch((e: unknown) => this.logger.warn(`image upkeep at start-up failed: ${(e as Error).message}`));
  }

  async process(job: Job<EraseImagePayload | Record<string, never>>): Promise<unknown> {
    if (job.name === SWEEP_IMAGES_JOB) return { erased: await this.sweep() };
    if (job.name === ERASE_IMAGE_JOB) return { erased: await this.erase((job.data as EraseImagePayload).imageId) };
    throw new Error(`unknown images job ${job.name}`);
  }

  /** Answers whether the files were erased now (false: an earlier run did it). */
  async erase(imageId: string): Promise<boolean> {
    return runOnce(this.em.fork(), `image-erase:${imageId}`, () => this.images.erase(imageId));
  }

  /** Answers how many never-attached images were erased. */
  async sweep(): Promise<number> {
    const erased = await this.images.sweepPending();
    if (erased > 0) this.logger.log(`erased ${erased} images that no change ever referred to`);
    return erased;
  }
}
