import { readdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@libs/config';

/** The names the photo store before the image pipeline gave files: `<member id>-<16 hex>.<jpg|png|webp>`. */
const LEGACY_KEY = /^[0-9a-f-]{36}-[0-9a-f]{16}\.(jpg|png|webp)$/;
const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Profile photos as uploaded before the image pipeline, in `<UPLOAD_DIR>/photos`. They are never served (they may
 * carry the member's EXIF and GPS position): the re-encoding job reads each one once, and they are removed.
 */
@Injectable()
export class LegacyPhotoFiles {
  readonly dir: string;

  constructor(config: AppConfig) {
    this.dir = resolve(config.uploadDir, 'photos');
  }

  static isKey(key: string): boolean {
    return LEGACY_KEY.test(key);
  }

  /** The file's bytes and type as uploaded, or null when it is gone (or the key is not one this store made). */
  async read(key: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    if (!LegacyPhotoFiles.isKey(key)) return null;
    try {
      return { contentType: CONTENT_TYPES[key.split('.').pop() as string], bytes: await readFile(join(this.dir, key)) };
    } catch {
      return null;
    }
  }

  async remove(key: string | null): Promise<void> {
    if (key && LegacyPhotoFiles.isKey(key)) await unlink(join(this.dir, key)).catch(() => undefined);
  }

  /** Every file left in the folder (the re-encoding job removes those no profile refers to). */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => LegacyPhotoFiles.isKey(name));
    } catch {
      return [];
    }
  }

  /** Removes the folder once it is empty. */
  async removeFolderIfEmpty(): Promise<void> {
    await rmdir(this.dir).catch(() => undefined);
  }
}
