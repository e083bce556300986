import sharp from 'sharp';

/** Where a phone photo would say it was taken (the Tokyo Tower, to the hundredth of a second of arc). */
export const TEST_GPS = { GPSLatitudeRef: 'N', GPSLatitude: '35/1 39/1 3105/100', GPSLongitudeRef: 'E', GPSLongitude: '139/1 44/1 5450/100' };

/**
 * A phone-like JPEG: landscape pixels with a green square in the top-left corner, stored with EXIF orientation 6
 * (shown turned a quarter clockwise, so the square appears top-right), camera make, GPS coordinates (IFD3) and XMP.
 */
export async function phonePhoto(width = 300, height = 200, orientation = 6): Promise<Buffer> {
  const marker = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#00ff00' } }).png().toBuffer();
  const pixels = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .composite([{ input: marker, left: 0, top: 0 }])
    .png()
    .toBuffer();
  return sharp(pixels)
    .jpeg({ quality: 90 })
    .withIccProfile('p3')
    .withMetadata({ orientation })
    .withExifMerge({ IFD0: { Make: 'KizunaPhone', Model: 'Test 1' }, IFD3: TEST_GPS })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Kizuna Tester"/></rdf:RDF></x:xmpmeta>')
    .toBuffer();
}

/** A flat image in the given format. */
export async function flatImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif', colour = '#3366cc'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).toFormat(format).toBuffer();
}

/** The colour of one pixel, as [r, g, b]. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}

/**
 * The tags of an EXIF block's IFD0 and, when IFD0 points to one, of its GPS IFD — read by hand, so that a test can
 * show the input really carries GPS coordinates before showing the output carries none.
 */
export function exifTags(exif: Buffer): { ifd0: number[]; gps: number[] } {
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const readIfd = (offset: number) => {
    const count = u16(offset);
    return Array.from({ length: count }, (_, i) => ({ tag: u16(offset + 2 + i * 12), value: u32(offset + 2 + i * 12 + 8) }));
  };
  const ifd0 = readIfd(u32(4));
  const gpsPointer = ifd0.find((e) => e.tag === 0x8825);
  return { ifd0: ifd0.map((e) => e.tag), gps: gpsPointer ? readIfd(gpsPointer.value).map((e) => e.tag) : [] };
}
