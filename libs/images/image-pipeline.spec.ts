import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { exifTags, flatImage, phonePhoto, pixelAt } from '@libs/testing/images';
import { cropBox, DEFAULT_IMAGE_LIMITS, inspectImage, processImage } from './image-pipeline';
import { ImagePurposes } from './image-purpose';
import { ImageRejectedError } from './image-rejected.error';

/** A PNG whose header claims `width` × `height` but whose data is a few bytes: a decompression bomb's shape. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function rejection(work: Promise<unknown>): Promise<ImageRejectedError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof ImageRejectedError) return e;
    throw new Error(`expected an ImageRejectedError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected the image to be refused');
}

const sizes = (variants: { name: string; width: number; height: number }[]) => Object.fromEntries(variants.map((v) => [v.name, [v.width, v.height]]));

describe('image pipeline', () => {
  describe('output', () => {
    it('applies the EXIF orientation: a landscape photo stored turned is delivered upright', async () => {
      const photo = await phonePhoto(300, 200, 6);
      expect((await sharp(photo).metadata()).orientation).toBe(6);
      const { variants } = await processImage(photo, ImagePurposes.profilePhoto);
      const full = variants.find((v) => v.name === 'full')!;
      expect([full.width, full.height]).toEqual([200, 300]);
      const decoded = await sharp(full.bytes).metadata();
      expect([decoded.width, decoded.height, decoded.orientation]).toEqual([200, 300, undefined]);
      // The green corner, top-left as stored, is top-right once turned.
      const [r, g] = await pixelAt(full.bytes, 190, 10);
      expect(g).toBeGreaterThan(200);
      expect(r).toBeLessThan(60);
      expect((await pixelAt(full.bytes, 10, 10))[0]).toBeGreaterThan(150);
    });

    it('caps the long side at 2048 px and makes every thumbnail of the purpose at its size', async () => {
      const { variants } = await processImage(await flatImage(3000, 1200, 'png'), ImagePurposes.profilePhoto);
      expect(sizes(variants)).toEqual({ full: [2048, 819], '480': [480, 192], '160': [160, 160], '64': [64, 64] });
      for (const v of variants) {
        const meta = await sharp(v.bytes).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', v.width, v.height]);
        expect(v.contentType).toBe('image/webp');
      }
      const attachment = await processImage(await flatImage(1200, 3000, 'jpeg'), ImagePurposes.attachment);
      expect(sizes(attachment.variants)).toEqual({ full: [819, 2048], '960': [384, 960], '320': [128, 320] });
    });

    it('never enlarges a small picture; a square thumbnail of a small picture is cut to its short side', async () => {
      const { variants } = await processImage(await flatImage(100, 50, 'png'), ImagePurposes.profilePhoto);
      expect(sizes(variants)).toEqual({ full: [100, 50], '480': [100, 50], '160': [50, 50], '64': [50, 50] });
    });

    it("makes a cover's card and OGP crops at their exact ratio, around the focus when one is given", async () => {
      const { variants } = await processImage(await flatImage(3000, 2000, 'jpeg'), ImagePurposes.contentCover);
      expect(sizes(variants)).toEqual({ full: [2048, 1365], '960': [960, 640], og: [1200, 630], card: [640, 360] });
      for (const v of variants) expect((await sharp(v.bytes).metadata()).format).toBe('jpeg');
      // A small picture is cropped to the ratio, never enlarged.
      const small = await processImage(await flatImage(400, 400, 'png'), ImagePurposes.contentCover);
      expect(sizes(small.variants).og).toEqual([400, 210]);
      expect(sizes(small.variants).card).toEqual([400, 225]);
      // A focus at the right edge takes the rightmost region; the crop never leaves the picture.
      expect(cropBox({ width: 2000, height: 2000 }, { width: 1200, height: 630 }, { x: 1, y: 0.5 })?.region).toEqual({ left: 0, top: 475, width: 2000, height: 1050 });
      expect(cropBox({ width: 4000, height: 1000 }, { width: 1200, height: 630 }, { x: 1, y: 0 })?.region).toEqual({ left: 2095, top: 0, width: 1905, height: 1000 });
      expect(cropBox({ width: 4000, height: 1000 }, { width: 1200, height: 630 }, { x: 0, y: 0 })?.region.left).toBe(0);
      expect(cropBox({ width: 4000, height: 1000 }, { width: 1200, height: 630 })).toBeNull();
      const focused = await processImage(await flatImage(3000, 1000, 'png'), ImagePurposes.contentCover, { focus: { x: 0.9, y: 0.5 } });
      expect(sizes(focused.variants).og).toEqual([1200, 630]);
    });

    it('strips every piece of metadata: no EXIF (GPS, camera), no XMP, no ICC profile', async () => {
      const photo = await phonePhoto();
      const input = await sharp(photo).metadata();
      expect(exifTags(input.exif!).gps.length).toBeGreaterThan(0);
      expect(input.xmpAsString).toContain('Kizuna Tester');
      expect(input.icc?.length).toBeGreaterThan(0);
      expect(photo.includes(Buffer.from('KizunaPhone'))).toBe(true);

      const { variants } = await processImage(photo, ImagePurposes.profilePhoto);
      for (const v of variants) {
        const meta = await sharp(v.bytes).metadata();
        expect({ name: v.name, exif: meta.exif, xmp: meta.xmp, icc: meta.icc, iptc: meta.iptc }).toEqual({ name: v.name, exif: undefined, xmp: undefined, icc: undefined, iptc: undefined });
        for (const needle of ['Exif', 'EXIF', 'KizunaPhone', 'Kizuna Tester', 'xmpmeta', 'ICCP']) expect(v.bytes.includes(Buffer.from(needle))).toBe(false);
      }
    });

    it('converts a CMYK JPEG with its colours to sRGB, and keeps transparency in WebP', async () => {
      const cmyk = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ff0000' } }).toColourspace('cmyk').jpeg().toBuffer();
      expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
      const [full] = (await processImage(cmyk, ImagePurposes.profilePhoto)).variants;
      expect((await sharp(full.bytes).metadata()).space).toBe('srgb');
      const [r, g, b] = await pixelAt(full.bytes, 20, 20);
      expect(r).toBeGreaterThan(200);
      expect(g + b).toBeLessThan(120);

      const transparent = await sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } }).png().toBuffer();
      const [out] = (await processImage(transparent, ImagePurposes.profilePhoto)).variants;
      expect((await sharp(out.bytes).metadata()).hasAlpha).toBe(true);
    });

    it('keeps the first frame of an animated WebP as a still picture', async () => {
      const frames = await Promise.all(['#ff0000', '#0000ff'].map((c) => flatImage(40, 30, 'png', c)));
      const animated = await sharp(frames, { join: { animated: true } }).webp({ loop: 0 }).toBuffer();
      expect((await sharp(animated).metadata()).pages).toBe(2);
      const { facts, variants } = await processImage(animated, ImagePurposes.profilePhoto);
      expect(facts.frames).toBe(2);
      const full = variants[0];
      expect([full.width, full.height]).toEqual([40, 30]);
      expect((await sharp(full.bytes).metadata()).pages ?? 1).toBe(1);
      expect((await pixelAt(full.bytes, 5, 5))[0]).toBeGreaterThan(200);
    });
  });

  describe('type, from the bytes', () => {
    it.each(['jpeg', 'png', 'webp'] as const)('accepts %s', async (format) => {
      expect(await inspectImage(await flatImage(20, 10, format))).toEqual({ format, width: 20, height: 10, frames: 1 });
    });

    it.each(['gif', 'tiff', 'avif'] as const)('refuses %s with the type message', async (format) => {
      expect((await rejection(inspectImage(await flatImage(20, 10, format), DEFAULT_IMAGE_LIMITS, 'photo'))).code).toBe('images.errors.type');
    });

    it('refuses SVG (which a browser would run as a document) and text, whatever the name said', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
      expect((await rejection(inspectImage(svg))).reason).toBe('type');
      expect((await rejection(inspectImage(Buffer.from('これは写真ではありません')))).reason).toBe('type');
      // A broken GIF is still a GIF: the member is told which types work, not that the file is damaged.
      expect((await rejection(inspectImage(Buffer.from('GIF89a not really')))).reason).toBe('type');
    });

    it('says HEIC is not supported by this server rather than "broken"', async () => {
      const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
      const e = await rejection(inspectImage(heic, DEFAULT_IMAGE_LIMITS, 'photo'));
      expect([e.reason, e.code, e.field, e.status]).toEqual(['heic', 'images.errors.heic', 'photo', 400]);
    });
  });

  describe('bad input never gets further than a clear refusal', () => {
    it('refuses an empty file and one over the byte limit', async () => {
      expect((await rejection(inspectImage(Buffer.alloc(0)))).reason).toBe('missing');
      const e = await rejection(inspectImage(await flatImage(20, 10, 'png'), { ...DEFAULT_IMAGE_LIMITS, maxBytes: 50 }));
      expect([e.reason, e.status, e.params]).toEqual(['size', 413, { mb: 0, megapixels: 0 }]);
      const big = await rejection(inspectImage(Buffer.alloc(DEFAULT_IMAGE_LIMITS.maxBytes + 1)));
      expect([big.reason, big.params?.mb]).toEqual(['size', 10]);
    });

    it('refuses a truncated JPEG and a PNG with garbage instead of pixels as corrupt', async () => {
      const photo = await phonePhoto(400, 300);
      expect((await rejection(processImage(photo.subarray(0, Math.floor(photo.length / 2)), ImagePurposes.profilePhoto))).reason).toBe('corrupt');
      const png = await flatImage(40, 40, 'png');
      const garbage = Buffer.concat([png.subarray(0, 33), Buffer.alloc(200, 0x5a)]);
      expect((await rejection(processImage(garbage, ImagePurposes.profilePhoto))).reason).toBe('corrupt');
    });

    it('refuses a decompression bomb from its header, before decoding it', async () => {
      const bomb = pngClaiming(30_000, 30_000);
      expect(bomb.length).toBeLessThan(2000);
      const e = await rejection(processImage(bomb, ImagePurposes.profilePhoto, { field: 'photo' }));
      expect([e.reason, e.params?.megapixels, e.field]).toEqual(['dimensions', 50, 'photo']);
    });

    it('refuses a real image over the pixel limit', async () => {
      const e = await rejection(processImage(await flatImage(2000, 1000, 'png'), ImagePurposes.profilePhoto, { limits: { ...DEFAULT_IMAGE_LIMITS, maxPixels: 1_000_000 } }));
      expect(e.reason).toBe('dimensions');
    });
  });
});
