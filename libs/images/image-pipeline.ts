import sharp from 'sharp';
import { IMAGE_CONTENT_TYPES, IMAGE_MAX_LONG_SIDE, type ImagePurpose, type ImageVariantSpec } from './image-purpose';
import { ImageRejectedError } from './image-rejected.error';

/** The formats accepted from people (by their bytes, never by name or declared type). */
export const ACCEPTED_IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type AcceptedImageFormat = (typeof ACCEPTED_IMAGE_FORMATS)[number];

export interface ImageLimits {
  /** Largest upload in bytes. */
  maxBytes: number;
  /** Largest decoded image in pixels (width × height): refuses decompression bombs before decoding them. */
  maxPixels: number;
  /** Longest time one image may take to process. */
  timeoutSeconds: number;
}

/**
 * 10 MB: a phone's camera JPEG is 3–8 MB; what is stored is re-encoded and bounded (a few hundred KB), so the limit
 * only bounds the request. 50 megapixels: a 48 MP phone sensor (8064 × 6048) still fits; a PNG that claims
 * 20000 × 20000 does not. The decoded pixels of the largest accepted image are about 150 MB, processed one or two at a
 * time per process (see ImageService).
 */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: 10 * 1024 * 1024, maxPixels: 50_000_000, timeoutSeconds: 30 };

export interface ProcessedVariant {
  name: string;
  width: number;
  height: number;
  contentType: string;
  bytes: Buffer;
}

export interface ImageFacts {
  format: AcceptedImageFormat;
  /** As stored, before the EXIF orientation is applied. */
  width: number;
  height: number;
  /** Frames of an animated image; only the first is kept. */
  frames: number;
}

/** HEIF family brands (ISO-BMFF `ftyp`): HEIC photos from iPhones and other phones. AVIF is refused as a plain type. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);

function isHeic(bytes: Buffer): boolean {
  if (bytes.length < 12 || bytes.subarray(4, 8).toString('latin1') !== 'ftyp') return false;
  return HEIC_BRANDS.has(bytes.subarray(8, 12).toString('latin1'));
}

/** The signatures of the accepted formats: a file that fails to decode is "corrupt" only if it claims to be one. */
function claimsAcceptedFormat(b: Buffer): boolean {
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const webp = b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';
  return jpeg || png || webp;
}

/** Whether this build of sharp/libvips decodes HEIC (the prebuilt one decodes AVIF only: HEVC is not included). */
export function canDecodeHeic(): boolean {
  return (sharp.format.heif?.input.fileSuffix ?? []).includes('.heic');
}

const INPUT = (limits: ImageLimits): sharp.SharpOptions => ({
  limitInputPixels: limits.maxPixels,
  // Refuse truncated or broken pixel data rather than storing half a picture.
  failOn: 'error',
  // The first frame of an animated image.
  pages: 1,
});

function rejectionOf(error: unknown, field?: string, limits?: ImageLimits): ImageRejectedError {
  if (error instanceof ImageRejectedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageRejectedError('dimensions', { field, maxMegapixels: limits?.maxPixels });
  return new ImageRejectedError('corrupt', { field });
}

/** Reads the real type and size from the bytes; refuses anything that is not an accepted, sane image. */
export async function inspectImage(bytes: Buffer, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, field?: string): Promise<ImageFacts> {
  if (bytes.length === 0) throw new ImageRejectedError('missing', { field });
  if (bytes.length > limits.maxBytes) throw new ImageRejectedError('size', { field, maxBytes: limits.maxBytes });
  const heic = isHeic(bytes);
  if (heic && !canDecodeHeic()) throw new ImageRejectedError('heic', { field });
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, INPUT(limits)).metadata();
  } catch (error) {
    if (!claimsAcceptedFormat(bytes)) throw new ImageRejectedError('type', { field });
    throw rejectionOf(error, field, limits);
  }
  if (meta.format === 'heif' && (heic || meta.compression === 'hevc')) {
    if (!canDecodeHeic()) throw new ImageRejectedError('heic', { field });
  } else if (!(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(meta.format)) {
    throw new ImageRejectedError('type', { field });
  }
  if (!meta.width || !meta.height) throw new ImageRejectedError('corrupt', { field });
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > limits.maxPixels) throw new ImageRejectedError('dimensions', { field, maxMegapixels: limits.maxPixels });
  return { format: meta.format as AcceptedImageFormat, width: meta.width, height: frameHeight, frames: meta.pages ?? 1 };
}

/**
 * The pipeline: decode (first frame), apply the EXIF orientation, convert to sRGB, cap the long side at 2048 px, then
 * encode each variant the purpose asks for. Nothing of the original's metadata is written: no EXIF (GPS, camera,
 * times), no XMP or IPTC, no ICC profile (the pixels are converted to sRGB, which is what browsers assume).
 */
export async function processImage(
  bytes: Buffer,
  purpose: ImagePurpose,
  options: { limits?: ImageLimits; field?: string; focus?: ImageFocus } = {},
): Promise<{ facts: ImageFacts; variants: ProcessedVariant[] }> {
  const limits = options.limits ?? DEFAULT_IMAGE_LIMITS;
  const facts = await inspectImage(bytes, limits, options.field);
  try {
    const { data, info } = await sharp(bytes, INPUT(limits))
      .timeout({ seconds: limits.timeoutSeconds })
      .rotate()
      .resize({ width: IMAGE_MAX_LONG_SIDE, height: IMAGE_MAX_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const source = { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 };
    const variants: ProcessedVariant[] = [];
    for (const spec of purpose.variants) variants.push(await encodeVariant(data, source, spec, purpose, limits, options.focus));
    return { facts, variants };
  } catch (error) {
    throw rejectionOf(error, options.field, limits);
  }
}

/** Where a crop is centred: 0–1 from the left and from the top. */
export interface ImageFocus {
  x: number;
  y: number;
}

/**
 * The region of the source that a crop of `crop`'s aspect ratio takes around `focus` (kept inside the picture), and
 * the size it is scaled to (never larger than the region). Null without a focus: the encoder picks the region.
 */
export function cropBox(
  source: { width: number; height: number },
  crop: { width: number; height: number },
  focus?: ImageFocus,
): { region: { left: number; top: number; width: number; height: number }; width: number; height: number } | null {
  if (!focus || !Number.isFinite(focus.x) || !Number.isFinite(focus.y)) return null;
  const ratio = crop.width / crop.height;
  let width = source.width;
  let height = Math.round(width / ratio);
  if (height > source.height) {
    height = source.height;
    width = Math.round(height * ratio);
  }
  width = Math.max(1, Math.min(width, source.width));
  height = Math.max(1, Math.min(height, source.height));
  const fx = Math.min(1, Math.max(0, focus.x));
  const fy = Math.min(1, Math.max(0, focus.y));
  const left = Math.round(Math.min(source.width - width, Math.max(0, fx * source.width - width / 2)));
  const top = Math.round(Math.min(source.height - height, Math.max(0, fy * source.height - height / 2)));
  const scale = Math.min(1, crop.width / width);
  return { region: { left, top, width, height }, width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function encodeVariant(
  pixels: Buffer,
  source: { width: number; height: number; channels: 1 | 2 | 3 | 4 },
  spec: ImageVariantSpec,
  purpose: ImagePurpose,
  limits: ImageLimits,
  focus?: ImageFocus,
): Promise<ProcessedVariant> {
  const size = Math.min(spec.size, IMAGE_MAX_LONG_SIDE);
  let image = sharp(pixels, { raw: source }).timeout({ seconds: limits.timeoutSeconds });
  if (spec.crop) {
    const box = cropBox(source, spec.crop, focus);
    if (box) image = image.extract(box.region).resize(box.width, box.height);
    else {
      const scale = Math.min(1, source.width / spec.crop.width, source.height / spec.crop.height);
      image = image.resize(Math.max(1, Math.round(spec.crop.width * scale)), Math.max(1, Math.round(spec.crop.height * scale)), { fit: 'cover', position: sharp.strategy.attention });
    }
  } else if (spec.square) {
    // A picture smaller than the square is cropped to its short side, not enlarged.
    const side = Math.min(size, source.width, source.height);
    image = image.resize(side, side, { fit: 'cover', position: sharp.strategy.attention });
  } else if (Math.max(source.width, source.height) > size) {
    image = image.resize(size, size, { fit: 'inside' });
  }
  image = purpose.format === 'jpeg' ? image.flatten({ background: '#ffffff' }).jpeg({ quality: purpose.quality, mozjpeg: true }) : image.webp({ quality: purpose.quality });
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { name: spec.name, width: info.width, height: info.height, contentType: IMAGE_CONTENT_TYPES[purpose.format], bytes: data };
}
