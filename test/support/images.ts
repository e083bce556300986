import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { ImagesProcessor } from '@libs/images/images.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { IMAGES_QUEUE } from '@libs/queue/queue-names';

/** The ids of every image in this run's store (`<UPLOAD_DIR>/images/<xx>/<id>/`). */
export function storedImageIds(app: INestApplicationContext): string[] {
  const root = join(app.get(AppConfig).uploadDir, 'images');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).filter((name) => !name.startsWith('.')));
}

/** The variant files of one stored image. */
export function storedFilesOf(app: INestApplicationContext, imageId: string): string[] {
  const folder = join(app.get(AppConfig).uploadDir, 'images', imageId.slice(0, 2), imageId);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/** Runs the image-erase jobs waiting in the outbox as the worker would (each once); answers the ids erased now. */
export async function runImageErasures(app: INestApplicationContext): Promise<string[]> {
  const rows = await app.get(EntityManager).fork().find(OutboxMessage, { queue: IMAGES_QUEUE }, { orderBy: { createdAt: 'asc' } });
  const processor = app.get(ImagesProcessor);
  const erased: string[] = [];
  for (const row of rows) {
    const imageId = (row.payload as { imageId: string }).imageId;
    if (await processor.erase(imageId)) erased.push(imageId);
  }
  return erased;
}
