import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@libs/config';
import { PhotoRejectedError } from '../domain/membership.errors';

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

const TYPES = [
  { ext: 'jpg', mime: 'image/jpeg', test: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: 'png', mime: 'image/png', test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: 'webp', mime: 'image/webp', test: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** Profile photos on disk, named by an unguessable key; the type is read from the bytes, not the file name. */
@Injectable()
export class PhotoStore {
  private readonly dir: string;

  constructor(config: AppConfig) {
    this.dir = resolve(config.uploadDir, 'photos');
  }

  static sniff(bytes: Buffer): { ext: string; mime: string } {
    if (bytes.length === 0) throw new PhotoRejectedError('missing');
    if (bytes.length > PHOTO_MAX_BYTES) throw new PhotoRejectedError('size');
    const type = TYPES.find((t) => t.test(bytes));
    if (!type) throw new PhotoRejectedError('type');
    return type;
  }

  async save(memberId: string, bytes: Buffer): Promise<string> {
    const { ext } = PhotoStore.sniff(bytes);
    await mkdir(this.dir, { recursive: true });
    const key = `${memberId}-${randomBytes(8).toString('hex')}.${ext}`;
    await writeFile(join(this.dir, key), bytes);
    return key;
  }

  async remove(key: string | null): Promise<void> {
    if (key) await unlink(this.pathOf(key)).catch(() => undefined);
  }

  pathOf(key: string): string {
    if (!/^[0-9a-f-]{36}-[0-9a-f]{16}\.(jpg|png|webp)$/.test(key)) throw new Error('bad photo key');
    return join(this.dir, key);
  }

  contentTypeOf(key: string): string {
    return TYPES.find((t) => key.endsWith(`.${t.ext}`))?.mime ?? 'application/octet-stream';
  }
}
