import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** An image id: 128 random bits as 32 hex characters (never derived from who owns the image). */
export const IMAGE_ID_PATTERN = /^[0-9a-f]{32}$/;
/** A stored file name: the variant name and the format's extension. */
const FILE_NAME_PATTERN = /^[0-9a-z]{1,16}\.(webp|jpg)$/;

export function newImageId(): string {
  return randomBytes(16).toString('hex');
}

export function isImageId(value: unknown): value is string {
  return typeof value === 'string' && IMAGE_ID_PATTERN.test(value);
}

export interface StoredFile {
  stream: Readable;
  size: number;
}

/**
 * Where image files live: one folder (or key prefix) per image id holding one file per variant. Local directory today
 * (`LocalImageStore`); an object-storage implementation (S3 and the like) provides the same four operations under the
 * `IMAGE_STORE` token. Ids and file names reaching a store have been checked against `IMAGE_ID_PATTERN` and the
 * purpose's variants.
 */
export interface ImageStore {
  /** Stores every file of an image at once: either all of them become visible or none. */
  put(imageId: string, files: { name: string; contentType: string; bytes: Buffer }[]): Promise<void>;
  /** One file, or null when the image or the variant does not exist. */
  open(imageId: string, name: string): Promise<StoredFile | null>;
  /** Removes every file of the image; removing an image that is not there is not an error. */
  remove(imageId: string): Promise<void>;
  /** Whether any file of the image is stored. */
  exists(imageId: string): Promise<boolean>;
}

export const IMAGE_STORE = Symbol('IMAGE_STORE');

/** Images under `<UPLOAD_DIR>/images/<first two characters>/<id>/<variant>.<ext>`. */
export class LocalImageStore implements ImageStore {
  private readonly root: string;

  constructor(uploadDir: string) {
    this.root = resolve(uploadDir, 'images');
  }

  private folderOf(imageId: string): string {
    if (!isImageId(imageId)) throw new Error('bad image id');
    const folder = join(this.root, imageId.slice(0, 2), imageId);
    // Belt and braces: the id pattern already excludes separators and dots.
    if (!folder.startsWith(this.root + sep)) throw new Error('bad image id');
    return folder;
  }

  private fileOf(imageId: string, name: string): string {
    if (!FILE_NAME_PATTERN.test(name)) throw new Error('bad image file name');
    return join(this.folderOf(imageId), name);
  }

  async put(imageId: string, files: { name: string; bytes: Buffer }[]): Promise<void> {
    const folder = this.folderOf(imageId);
    const parent = join(folder, '..');
    await mkdir(parent, { recursive: true });
    // Written into a temporary folder beside it, then renamed: a reader sees all the variants or none.
    const staging = join(parent, `.staging-${imageId}-${randomBytes(4).toString('hex')}`);
    await mkdir(staging);
    try {
      for (const file of files) {
        if (!FILE_NAME_PATTERN.test(file.name)) throw new Error('bad image file name');
        await writeFile(join(staging, file.name), file.bytes, { flag: 'wx' });
      }
      await rename(staging, folder);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
  }

  async open(imageId: string, name: string): Promise<StoredFile | null> {
    if (!isImageId(imageId) || !FILE_NAME_PATTERN.test(name)) return null;
    const path = this.fileOf(imageId, name);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      return { stream: createReadStream(path), size: info.size };
    } catch {
      return null;
    }
  }

  async remove(imageId: string): Promise<void> {
    await rm(this.folderOf(imageId), { recursive: true, force: true });
  }

  async exists(imageId: string): Promise<boolean> {
    if (!isImageId(imageId)) return false;
    try {
      return (await stat(this.folderOf(imageId))).isDirectory();
    } catch {
      return false;
    }
  }
}
