import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ImageService } from '@libs/images/image.service';
import { ImagePurposes } from '@libs/images/image-purpose';
import { UploadContentImageCommand } from '../contracts';
import { BODY_IMAGES_MAX, contentImagePath } from '../domain/content-input';
import { ContentFieldError } from '../domain/content.errors';
import { ContentWriter } from './content-writer';

/**
 * An image for an item its uploader may edit (the author, an operator), through libs/images: the real type checked,
 * re-encoded without metadata, resized; a cover gets its card and OGP crops around the focus. The image row and the
 * image's attachment are one unit of work; a failure erases the files again.
 */
@CommandHandler(UploadContentImageCommand)
export class UploadContentImageHandler implements ICommandHandler<UploadContentImageCommand> {
  constructor(
    private readonly writer: ContentWriter,
    private readonly images: ImageService,
  ) {}

  async execute({ viewer, contentId, purpose, bytes, focus }: UploadContentImageCommand) {
    if (purpose !== 'cover' && purpose !== 'body') throw new ContentFieldError('purpose', 'invalid');
    if (focus !== undefined && focus !== null && (!Number.isFinite(focus.x) || !Number.isFinite(focus.y) || focus.x < 0 || focus.x > 1 || focus.y < 0 || focus.y > 1)) {
      throw new ContentFieldError('focus', 'invalid');
    }
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ContentFieldError('file', 'required');
    // May this viewer edit the item now? (Checked again, with the row locked, when the image is recorded.)
    await this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      ContentWriter.decide(item, 'edit', actor);
      if (purpose === 'body') await this.assertRoom(tx, item.id);
    });
    const image = await this.images.ingest(bytes, { purpose: purpose === 'cover' ? ImagePurposes.contentCover : ImagePurposes.attachment, field: 'file', focus: focus ?? undefined });
    const full = image.variants.find((v) => v.name === 'full')!;
    try {
      await this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
        ContentWriter.decide(item, 'edit', actor);
        if (purpose === 'body') await this.assertRoom(tx, item.id);
        await tx.execute('insert into content.image (image_id, item_id, purpose, width, height, uploaded_by) values (?, ?, ?, ?, ?, ?)', [image.id, item.id, purpose, full.width, full.height, viewer.memberId]);
        this.images.attach(tx, image.id);
      });
    } catch (e) {
      await this.images.discard(image.id);
      throw e;
    }
    const url = contentImagePath(image.id, '960');
    return { imageId: image.id, url, markdown: purpose === 'body' ? `![](${url})` : '', width: full.width, height: full.height };
  }

  private async assertRoom(tx: EntityManager, itemId: string): Promise<void> {
    const [{ n }] = await tx.execute<{ n: string }[]>(`select count(*) as n from content.image where item_id = ? and purpose = 'body'`, [itemId]);
    if (Number(n) >= BODY_IMAGES_MAX) throw new ContentFieldError('file', 'tooMany', { max: BODY_IMAGES_MAX });
  }
}
