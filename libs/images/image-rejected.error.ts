import { DomainError } from '@libs/ddd';

/**
 * Why an upload was refused; each reason has a message in ja and en (`images.errors.<reason>`).
 * - missing: no file · size: over the byte limit · type: not JPEG, PNG or WebP · heic: HEIC/HEIF, which this server
 *   cannot decode · corrupt: cannot be decoded · dimensions: too many pixels (a decompression bomb or a huge scan).
 */
export const IMAGE_REJECTIONS = ['missing', 'size', 'type', 'heic', 'corrupt', 'dimensions'] as const;
export type ImageRejection = (typeof IMAGE_REJECTIONS)[number];

export class ImageRejectedError extends DomainError {
  constructor(
    readonly reason: ImageRejection,
    options: { field?: string; maxBytes?: number; maxMegapixels?: number } = {},
  ) {
    super(`images.errors.${reason}`, {
      status: reason === 'size' ? 413 : 400,
      field: options.field,
      params: {
        mb: Math.floor((options.maxBytes ?? 0) / 1024 / 1024),
        megapixels: Math.floor((options.maxMegapixels ?? 0) / 1_000_000),
      },
    });
  }
}
