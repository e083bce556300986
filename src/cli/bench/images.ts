import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import sharp from 'sharp';
import { ImagePurposes, ImageRejectedError, ImageService, LocalImageStore } from '@libs/images';

/**
 * npm run bench:images — the image pipeline on photo-like input (smoothed noise: it compresses like a photograph, not
 * like a flat test card): a 12 MP phone JPEG, a 24 MP camera JPEG, a 1600 × 1000 PNG, and a PNG header
 * claiming 30000 × 30000 pixels. Each is ingested BENCH_RUNS times (profile-photo purpose: four WebP variants, stored in
 * a temporary directory); then BENCH_BURST 12 MP uploads are ingested at once, as simultaneous uploads would be (at
 * most two are decoded at a time). Prints the time per image, output sizes and the process's peak resident memory.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BURST = Number(process.env.BENCH_BURST ?? 8);

async function photoLike(width: number, height: number, format: 'jpeg' | 'png', quality = 90): Promise<Buffer> {
  const seed = await sharp({ create: { width: Math.ceil(width / 4), height: Math.ceil(height / 4), channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
  const image = sharp(seed).resize(width, height, { kernel: 'cubic' }).sharpen({ sigma: 1 });
  return format === 'jpeg' ? image.jpeg({ quality }).withMetadata({ orientation: 6 }).toBuffer() : image.png().toBuffer();
}

function bomb(): Buffer {
  // A real 1 × 1 PNG whose header is rewritten to claim 30000 × 30000.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  png.writeUInt32BE(30_000, 16);
  png.writeUInt32BE(30_000, 20);
  return png;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kizuna-bench-images-'));
  // No database here: the pending-image row (one insert per image) is not part of what is measured.
  const noDatabase = { fork: () => ({ insert: async () => undefined, nativeDelete: async () => 0 }) } as unknown as EntityManager;
  const images = new ImageService(new LocalImageStore(dir), noDatabase);
  const inputs: [string, Buffer][] = [
    ['12 MP phone JPEG (4032 × 3024, q90)', await photoLike(4032, 3024, 'jpeg')],
    ['24 MP camera JPEG (6000 × 4000, q80)', await photoLike(6000, 4000, 'jpeg', 80)],
    ['PNG with photo content (1600 × 1000)', await photoLike(1600, 1000, 'png')],
    ['PNG header claiming 30000 × 30000 (refused)', bomb()],
  ];
  // Peak memory from here on is the pipeline's, not the making of the inputs (Linux: 5 resets the peak).
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* no /proc: the peak includes the inputs */
  }
  console.log(`| input | bytes in | runs | p50 ms | max ms | full | 480 | 160 | 64 |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const [name, bytes] of inputs) {
    const times: number[] = [];
    let sizes = '— | — | — | —';
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      try {
        const image = await images.ingest(bytes, { purpose: ImagePurposes.profilePhoto });
        sizes = image.variants.map((v) => `${v.width}×${v.height} ${(v.bytes / 1024).toFixed(0)} KB`).join(' | ');
      } catch (e) {
        if (!(e instanceof ImageRejectedError)) throw e;
        sizes = `refused: ${e.reason} | | | `;
      }
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${mb(bytes.length)} MB | ${RUNS} | ${pct(times, 50).toFixed(0)} | ${times[times.length - 1].toFixed(0)} | ${sizes} |`);
  }

  const phone = inputs[0][1];
  const started = performance.now();
  const done = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const t = performance.now();
      await images.ingest(phone, { purpose: ImagePurposes.profilePhoto });
      return performance.now() - t;
    }),
  );
  const total = performance.now() - started;
  done.sort((a, b) => a - b);
  console.log(`\nburst: ${BURST} × 12 MP at once: all done in ${total.toFixed(0)} ms (${((BURST / total) * 1000).toFixed(1)} images/s); ` +
    `per upload p50 ${pct(done, 50).toFixed(0)} ms, max ${done[done.length - 1].toFixed(0)} ms`);
  const peak = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  console.log(`peak resident memory while ingesting: ${peak ? (Number(peak) / 1024).toFixed(0) : '?'} MB; libvips threads per image: ${sharp.concurrency()}`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
