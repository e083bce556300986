import { PrimaryKeyProp } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * An image whose files are stored but which no committed change refers to yet. `ImageService.ingest` records it
 * (committed at once, before the files are written); the owner's transaction removes the row (`attach`). A row left
 * after an hour means the owner never committed — the request failed or the process stopped — and the upkeep job
 * erases the files.
 */
@Entity({ schema: 'platform', tableName: 'pending_image' })
@Index({ properties: ['createdAt'] })
export class PendingImage {
  [PrimaryKeyProp]?: 'imageId';

  @PrimaryKey({ type: 'text' })
  imageId: string;

  @Property({ type: 'text' })
  purpose: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(imageId: string, purpose: string) {
    this.imageId = imageId;
    this.purpose = purpose;
  }
}
