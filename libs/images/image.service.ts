import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Readable } from 'node:stream';
import { Outbox } from '@libs/outbox/outbox';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';
import { DEFAULT_IMAGE_LIMITS, processImage, type ImageFocus, type ImageLimits } from './image-pipeline';
import { IMAGE_CONTENT_TYPES, IMAGE_EXTENSIONS, variantOf, type ImagePurpose } from './image-purpose';
import { IMAGE_STORE, isImageId, newImageId, type ImageStore } from './image-store';
import { PendingImage } from './pending-image.entity';

/** What was stored for one variant. */
export interface ImageVariantDescriptor {
  name: string;
  width: number;
  height: number;
  contentType: string;
  bytes: number;
}

/** A processed, stored image. It belongs to nobody until the caller's transaction records its id and `attach`es it. */
export interface IngestedImage {
  id: string;
  purpose: string;
  variants: ImageVariantDescriptor[];
}

export interface OpenedImage {
  contentType: string;
  size: number;
  stream: Readable;
}

/** The job that removes a released image's files once the release has committed. Carries the id only. */
export const ERASE_IMAGE_JOB = 'erase';
/** The hourly job that erases images ingested but never attached (`PendingImage`). */
export const SWEEP_IMAGES_JOB = 'sweep';
/** How long an ingested image may wait for its owner's commit before the upkeep job erases it. */
export const PENDING_IMAGE_TTL_MS = 60 * 60_000;
export interface EraseImagePayload {
  imageId: string;
}
export const eraseImageJobId = (imageId: string) => `image-erase-${imageId}`;

const fileName = (purpose: ImagePurpose, variant: string) => `${variant}.${IMAGE_EXTENSIONS[purpose.format]}`;

/** At most this many images are decoded at once in one process (each may hold ~150 MB of pixels). */
const CONCURRENT_INGESTS = 2;

/**
 * The one place images enter and leave the application (profile photos today; forum, chat, content and settings
 * next). The owning module keeps the image id with what the image belongs to, decides who may see it, and then
 * serves a variant with `open()` and `sendImage()`.
 *
 *   const image = await images.ingest(bytes, { purpose: ImagePurposes.profilePhoto, field: 'photo' });
 *   owner.photoId = image.id; images.attach(em, image.id); images.release(em, previousId);
 *   await em.flush();                                          // on failure: await images.discard(image.id)
 */
@Injectable()
export class ImageService {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    @Inject(IMAGE_STORE) private readonly store: ImageStore,
    private readonly em: EntityManager,
  ) {}

  /**
   * Checks the real type, re-encodes without metadata and stores every variant of `purpose` under a new random id.
   * Refuses bad input with an `ImageRejectedError` (a message on `field` in the member's language).
   */
  async ingest(bytes: Buffer, options: { purpose: ImagePurpose; field?: string; limits?: ImageLimits; focus?: ImageFocus }): Promise<IngestedImage> {
    const { variants } = await this.limited(() =>
      processImage(bytes, options.purpose, { limits: options.limits ?? DEFAULT_IMAGE_LIMITS, field: options.field, focus: options.focus }),
    );
    const id = newImageId();
    // Recorded before the files exist, so that files left by a failed request or a stopped process are found again.
    await this.em.fork().insert(PendingImage, new PendingImage(id, options.purpose.name));
    await this.store.put(
      id,
      variants.map((v) => ({ name: fileName(options.purpose, v.name), contentType: v.contentType, bytes: v.bytes })),
    );
    return {
      id,
      purpose: options.purpose.name,
      variants: variants.map((v) => ({ name: v.name, width: v.width, height: v.height, contentType: v.contentType, bytes: v.bytes.length })),
    };
  }

  /** One variant for sending, or null for an unknown id or variant. Call it only after checking who may see it. */
  async open(purpose: ImagePurpose, imageId: string, variant: string): Promise<OpenedImage | null> {
    if (!isImageId(imageId) || !variantOf(purpose, variant)) return null;
    const file = await this.store.open(imageId, fileName(purpose, variant));
    return file && { contentType: IMAGE_CONTENT_TYPES[purpose.format], size: file.size, stream: file.stream };
  }

  /** One variant's bytes (for a personal-data export), or null. */
  async read(purpose: ImagePurpose, imageId: string, variant = 'full'): Promise<{ contentType: string; bytes: Buffer } | null> {
    const opened = await this.open(purpose, imageId, variant);
    if (!opened) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    return { contentType: opened.contentType, bytes: Buffer.concat(chunks) };
  }

  /** The owner's unit of work now refers to the image: it stops being pending when that change commits. */
  attach(em: EntityManager, imageId: string): void {
    em.remove(em.getReference(PendingImage, imageId));
  }

  /**
   * The image is no longer used: its files are erased by a job written in the caller's unit of work, so they go
   * only if the change that dropped the image commits (and even if this process stops right after).
   */
  release(em: EntityManager, imageId: string | null | undefined): void {
    if (!imageId) return;
    const payload: EraseImagePayload = { imageId };
    Outbox.enqueue(em, { queue: IMAGES_QUEUE, name: ERASE_IMAGE_JOB, payload: { ...payload }, jobId: eraseImageJobId(imageId) });
  }

  /** Removes an ingested image whose owner's transaction failed or that the owner decided not to keep. */
  async discard(imageId: string): Promise<void> {
    await this.store.remove(imageId);
    await this.em.fork().nativeDelete(PendingImage, { imageId });
  }

  /** Erases the images ingested more than `olderThanMs` ago and never attached; answers how many. */
  async sweepPending(olderThanMs = PENDING_IMAGE_TTL_MS): Promise<number> {
    const em = this.em.fork();
    const stale = await em.find(PendingImage, { createdAt: { $lt: new Date(Date.now() - olderThanMs) } }, { orderBy: { createdAt: 'asc' }, limit: 1000 });
    for (const pending of stale) {
      await this.store.remove(pending.imageId);
      await em.nativeDelete(PendingImage, { imageId: pending.imageId });
    }
    return stale.length;
  }

  /** Removes an image's files at once (the erase job; running it again changes nothing). */
  async erase(imageId: string): Promise<void> {
    if (isImageId(imageId)) await this.store.remove(imageId);
  }

  async exists(imageId: string): Promise<boolean> {
    return this.store.exists(imageId);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENT_INGESTS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
