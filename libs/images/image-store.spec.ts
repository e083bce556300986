import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flatImage } from '@libs/testing/images';
import { ImagePurposes } from './image-purpose';
import { isImageId, LocalImageStore, newImageId } from './image-store';
import { ImageService } from './image.service';

/** The pending-image rows the service writes, kept in memory (the integration tests use PostgreSQL). */
const pending = new Set<string>();
const pendingRows = {
  fork: () => ({
    insert: async (_: unknown, row: { imageId: string }) => void pending.add(row.imageId),
    nativeDelete: async (_: unknown, where: { imageId: string }) => Number(pending.delete(where.imageId)),
  }),
} as unknown as EntityManager;

describe('LocalImageStore and ImageService (a temporary UPLOAD_DIR)', () => {
  let dir: string;
  let store: LocalImageStore;
  let images: ImageService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kizuna-images-spec-'));
    store = new LocalImageStore(dir);
    images = new ImageService(store, pendingRows);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every image a new random 128-bit id', () => {
    const ids = new Set(Array.from({ length: 200 }, newImageId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(isImageId('../../etc/passwd')).toBe(false);
  });

  it('stores every variant under the id, opens one, and erases them all', async () => {
    const image = await images.ingest(await flatImage(600, 400, 'png'), { purpose: ImagePurposes.profilePhoto });
    expect(image.purpose).toBe('profile-photo');
    // Pending until an owner's change attaches it.
    expect(pending.has(image.id)).toBe(true);
    expect(image.variants.map((v) => [v.name, v.width, v.height, v.contentType])).toEqual([
      ['full', 600, 400, 'image/webp'],
      ['480', 480, 320, 'image/webp'],
      ['160', 160, 160, 'image/webp'],
      ['64', 64, 64, 'image/webp'],
    ]);
    const folder = join(dir, 'images', image.id.slice(0, 2), image.id);
    expect(readdirSync(folder).sort()).toEqual(['160.webp', '480.webp', '64.webp', 'full.webp']);
    // Nothing is left half-written beside it.
    expect(readdirSync(join(dir, 'images', image.id.slice(0, 2)))).toEqual([image.id]);

    const opened = await images.open(ImagePurposes.profilePhoto, image.id, '160');
    expect(opened).toMatchObject({ contentType: 'image/webp', size: image.variants[2].bytes });
    opened!.stream.destroy();
    expect((await images.read(ImagePurposes.profilePhoto, image.id))?.bytes.length).toBe(image.variants[0].bytes);

    await images.erase(image.id);
    expect(existsSync(folder)).toBe(false);
    expect(await images.open(ImagePurposes.profilePhoto, image.id, '160')).toBeNull();
    await images.erase(image.id);
  });

  it('opens nothing outside the store: unknown ids, unknown variants, path tricks', async () => {
    const image = await images.ingest(await flatImage(60, 40, 'jpeg'), { purpose: ImagePurposes.profilePhoto });
    writeFileSync(join(dir, 'secret.webp'), 'not for you');
    for (const [id, variant] of [
      [newImageId(), 'full'],
      [image.id, 'original'],
      [image.id, '../full'],
      ['..', 'secret'],
      [`${image.id}/..`, 'full'],
      [image.id.toUpperCase(), 'full'],
    ]) {
      expect(await images.open(ImagePurposes.profilePhoto, id, variant)).toBeNull();
    }
    expect(await store.open('../../secret', 'secret.webp')).toBeNull();
    expect(await store.open(image.id, '../../../secret.webp')).toBeNull();
    await expect(store.remove('../..')).rejects.toThrow('bad image id');
  });
});
