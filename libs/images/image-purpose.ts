/** The longest side any stored image may have, whatever the purpose asks for. */
export const IMAGE_MAX_LONG_SIDE = 2048;

/**
 * One stored rendition of an image. `size` bounds the long side (the aspect ratio is kept and nothing is enlarged);
 * `square` crops to size×size around the most interesting part (avatars).
 */
export interface ImageVariantSpec {
  readonly name: string;
  readonly size: number;
  readonly square?: boolean;
  /**
   * Crops to exactly width×height (scaled down to fit a smaller picture, never enlarged): cover images' card and
   * OGP renditions. The crop is centred on the focus given at ingest, else on the most interesting part.
   */
  readonly crop?: { readonly width: number; readonly height: number };
}

/**
 * What an image is for: which variants are made and how they are encoded. Every purpose has a `full` variant
 * (long side ≤ 2048 px), used for downloads and the personal-data export.
 */
export interface ImagePurpose {
  readonly name: string;
  readonly format: 'webp' | 'jpeg';
  /** Encoder quality, 1–100. */
  readonly quality: number;
  readonly variants: readonly ImageVariantSpec[];
}

export const IMAGE_CONTENT_TYPES = { webp: 'image/webp', jpeg: 'image/jpeg' } as const;
export const IMAGE_EXTENSIONS = { webp: 'webp', jpeg: 'jpg' } as const;

/**
 * The purposes the application uses. A module needing other renditions declares its own purpose beside these
 * (the name is only a label in logs and descriptors; the files live under the image id).
 */
export const ImagePurposes = {
  /**
   * Profile photos. 64: the 32 px avatar of lists and the header at 2×; 160: the 56 px directory avatar and the 96 px
   * profile avatar; 480: the profile avatar on high-density screens and the enlarged photo; full: export.
   */
  profilePhoto: {
    name: 'profile-photo',
    format: 'webp',
    quality: 82,
    variants: [
      { name: 'full', size: IMAGE_MAX_LONG_SIDE },
      { name: '480', size: 480 },
      { name: '160', size: 160, square: true },
      { name: '64', size: 64, square: true },
    ],
  },
  /** Pictures in posts, messages and articles (forum, chat, content): shown in the text column and as previews. */
  attachment: {
    name: 'attachment',
    format: 'webp',
    quality: 82,
    variants: [
      { name: 'full', size: IMAGE_MAX_LONG_SIDE },
      { name: '960', size: 960 },
      { name: '320', size: 320 },
    ],
  },
  /**
   * An article's cover (Content): `card` for the 16:9 cards of lists and the home page, `og` for OGP and Twitter
   * cards (1200×630, what X, Facebook and LinkedIn show), 960 for the article's head, full for the original.
   */
  contentCover: {
    name: 'content-cover',
    format: 'jpeg',
    quality: 82,
    variants: [
      { name: 'full', size: IMAGE_MAX_LONG_SIDE },
      { name: '960', size: 960 },
      { name: 'og', size: 1200, crop: { width: 1200, height: 630 } },
      { name: 'card', size: 640, crop: { width: 640, height: 360 } },
    ],
  },
} as const satisfies Record<string, ImagePurpose>;

export function variantOf(purpose: ImagePurpose, name: string): ImageVariantSpec | undefined {
  return purpose.variants.find((v) => v.name === name);
}
