import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Job } from 'bullmq';
import { runOnce } from '@libs/outbox/run-once';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { ImageService, type EraseImagePayload } from './image.service';

/** Erases the files of a released image once the release has committed; `image-erase:<id>` makes it run once. */
@Processor(IMAGES_QUEUE)
export class ImageEraseProcessor extends WorkerHost {
  constructor(
    private readonly em: EntityManager,
    private readonly images: ImageService,
  ) {
    super();
  }

  async process(job: Job<EraseImagePayload>): Promise<void> {
    await this.erase(job.data.imageId);
  }

  /** Answers whether the files were erased now (false: an earlier run did it). */
  async erase(imageId: string): Promise<boolean> {
    return runOnce(this.em.fork(), `image-erase:${imageId}`, () => this.images.erase(imageId));
  }
}
