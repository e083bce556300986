import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';

const ROOT = resolve(__dirname, '..', '..');
const FACES = ['Regular', 'Bold'];

/**
 * A WOFF 1.0 font as the OpenType font it wraps: each table inflated where it was compressed, laid out again behind a
 * plain table directory (checksums as the WOFF file gives them). Chromium draws from fontconfig's fonts only what
 * FreeType reads as OpenType; the npm package ships WOFF.
 */
export function woffToOpenType(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const [tag, offset, compressed, original, checksum] = [0, 4, 8, 12, 16].map((k) => woff.readUInt32BE(at + k));
    const raw = woff.subarray(offset, offset + compressed);
    const data = compressed < original ? inflateSync(raw) : raw;
    if (data.length !== original) throw new Error(`WOFF table ${tag.toString(16)} has ${data.length} bytes, not ${original}`);
    return { tag, checksum, data };
  });
  const selector = Math.floor(Math.log2(count));
  const searchRange = 2 ** selector * 16;
  const directory = Buffer.alloc(12 + 16 * count);
  directory.writeUInt32BE(flavor, 0);
  directory.writeUInt16BE(count, 4);
  directory.writeUInt16BE(searchRange, 6);
  directory.writeUInt16BE(selector, 8);
  directory.writeUInt16BE(count * 16 - searchRange, 10);
  const parts: Buffer[] = [directory];
  let offset = directory.length;
  tables.forEach((t, i) => {
    directory.writeUInt32BE(t.tag, 12 + i * 16);
    directory.writeUInt32BE(t.checksum, 16 + i * 16);
    directory.writeUInt32BE(offset, 20 + i * 16);
    directory.writeUInt32BE(t.data.length, 24 + i * 16);
    const padding = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    parts.push(t.data, padding);
    offset += t.data.length + padding.length;
  });
  return Buffer.concat(parts);
}

let prepared: string | undefined;

/**
 * A fontconfig file for the test browser: the machine's own fonts plus Noto Sans CJK JP (regular and bold, from the
 * `noto-sans-cjk-jp` package), so that Japanese pages are drawn in the screenshots also where the machine has no
 * Japanese font (a fresh machine, `@sparticuz/chromium`). Converted once into `node_modules/.cache/` (into a
 * temporary folder first, then renamed, like the browser).
 */
export function japaneseFontConfig(): string {
  if (prepared) return prepared;
  const pkg = dirname(require.resolve('noto-sans-cjk-jp/package.json'));
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const cache = join(ROOT, 'node_modules', '.cache', `kizuna-fonts-${version}`);
  const file = join(cache, 'fonts.conf');
  if (!existsSync(file)) {
    mkdirSync(dirname(cache), { recursive: true });
    const scratch = mkdtempSync(`${cache}-converting-`);
    try {
      for (const face of FACES) writeFileSync(join(scratch, `NotoSansCJKjp-${face}.otf`), woffToOpenType(readFileSync(join(pkg, 'fonts', `NotoSansCJKjp-${face}.woff`))));
      writeFileSync(
        join(scratch, 'fonts.conf'),
        `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>/usr/share/fonts</dir>
  <dir>${cache}</dir>
  <cachedir>${join(cache, 'fontconfig-cache')}</cachedir>
</fontconfig>
`,
      );
      renameSync(scratch, cache);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      if (!existsSync(file)) throw error;
    }
  }
  prepared = file;
  return file;
}
