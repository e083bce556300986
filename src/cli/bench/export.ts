import { readFileSync, writeFileSync } from 'node:fs';
import { resolveDatabase } from '@libs/database/resolve-database';
import { signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:export — the HR admins' CSV export of the member list over HTTP, on the database made by
 * `npm run seed:large` (100,000 members). Downloads the whole list BENCH_RUNS times, then filtered exports, and
 * prints for each: rows, bytes, time to the first byte, total time, and the web process's resident memory (RSS)
 * before and at its peak (Linux /proc), which shows whether the rows are streamed or held in memory.
 * BENCH_WEB_HEAP_MB=64 runs the web process with a 64 MB JavaScript heap, far less than the file.
 */
const DATABASE = process.env.SEED_DATABASE ?? 'kizuna_large';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 3902);
const BASE = `http://127.0.0.1:${PORT}`;

const EXPORTS: [string, string][] = [
  ['whole list', '/admin/members/export.csv'],
  ['alumni only', '/admin/members/export.csv?status=alumni'],
  ['keyword (kana surname)', `/admin/members/export.csv?q=${encodeURIComponent('タナカ')}`],
];

/** Resident memory of a process in MiB (current and peak), from /proc; null where there is no /proc. */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Resets the peak-RSS counter of a process (Linux: writing 5 to clear_refs), so each export's peak is its own. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function download(path: string, cookie: string): Promise<{ status: number; rows: number; bytes: number; firstByteMs: number; totalMs: number }> {
  const started = performance.now();
  const res = await fetch(`${BASE}${path}`, { headers: { cookie } });
  if (!res.body) throw new Error(`no body for ${path}`);
  let firstByteMs = 0;
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!firstByteMs) firstByteMs = performance.now() - started;
    bytes += chunk.byteLength;
    for (const b of chunk) if (b === 0x0a) newlines++;
  }
  return { status: res.status, rows: Math.max(0, newlines - 1), bytes, firstByteMs, totalMs: performance.now() - started };
}

async function main(): Promise<void> {
  const server = await resolveDatabase('postgres');
  const url = new URL(server.url);
  url.pathname = `/${DATABASE}`;
  // BENCH_WEB_HEAP_MB caps the web process's JavaScript heap: an export that held every row would run out of memory.
  const heap = process.env.BENCH_WEB_HEAP_MB ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${Number(process.env.BENCH_WEB_HEAP_MB)}`.trim() } : {};
  const env = { ...process.env, ...heap, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: 'kizuna-bench', LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'false' };
  let web: Awaited<ReturnType<typeof startWeb>>;
  try {
    web = await startWeb(BASE, env, 120_000);
  } catch {
    throw new Error(`the web process did not start on ${DATABASE} (run npm run seed:large first)`);
  }
  const pid = web.pid!;
  try {
    const cookie = await signIn(BASE, 'admin@example.jp');
    // Warm-up: one small export, so that code paths and connections are ready.
    await download('/admin/members/export.csv?role=admin', cookie);
    const fmt = (n: number) => n.toFixed(0);
    const mib = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(0));
    console.log(`CSV export of ${DATABASE}, ${RUNS} runs of the whole list${process.env.BENCH_WEB_HEAP_MB ? `, web heap capped at ${process.env.BENCH_WEB_HEAP_MB} MB` : ''}\n`);
    console.log('| export | rows | MiB | first byte ms | total ms | rows/s | RSS before MiB | peak RSS MiB |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    const plan: [string, string][] = [...Array.from({ length: RUNS }, () => EXPORTS[0]), ...EXPORTS.slice(1)];
    for (const [label, path] of plan) {
      const before = memoryOf(pid);
      const peakReset = resetPeak(pid);
      let sampled = before?.rss ?? 0;
      const sampler = setInterval(() => {
        const m = memoryOf(pid);
        if (m) sampled = Math.max(sampled, m.rss);
      }, 20);
      const r = await download(path, cookie);
      clearInterval(sampler);
      const after = memoryOf(pid);
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
      const peak = peakReset && after ? after.peak : sampled;
      console.log(
        `| ${label} | ${r.rows} | ${(r.bytes / 1024 / 1024).toFixed(1)} | ${fmt(r.firstByteMs)} | ${fmt(r.totalMs)} | ${fmt(r.rows / (r.totalMs / 1000))} | ${mib(before?.rss)} | ${mib(peak)} |`,
      );
    }
  } finally {
    await stopWeb(web);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
