import { resolveDatabase } from '@libs/database/resolve-database';
import { signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:directory — the member directory over HTTP as a signed-in member, on the database made by
 * `npm run seed:large` (100,000 members). A fixed mix of queries runs from BENCH_CONNECTIONS concurrent clients
 * for BENCH_SECONDS seconds; prints p50/p95/p99 latency and requests per second, per query and overall.
 */
const DATABASE = process.env.SEED_DATABASE ?? 'kizuna_large';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3901);
const BASE = `http://127.0.0.1:${PORT}`;

const QUERIES: [string, string][] = [
  ['2-character kanji word', '/members?q=人事'],
  ['2-character kanji word', '/members?q=営業'],
  ['kana name prefix', '/members?q=たなか'],
  ['kana name prefix', '/members?q=サトウ'],
  ['romaji name', '/members?q=tanaka'],
  ['romaji name', '/members?q=Suzuki'],
  ['skill + status filter', '/members?skill=TypeScript&status=alumni'],
  ['skill + status filter', '/members?skill=採用&status=employee'],
  ['empty keyword, filters', '/members?department=営業部&leftYear=2020'],
  ['empty keyword, filters', '/members?openTo=comeback&status=alumni&sort=recent'],
  ['keyword + filter + page 3', '/members?q=データ分析&status=alumni&page=3'],
  ['no filter, name order', '/members'],
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}


async function main(): Promise<void> {
  const server = await resolveDatabase('postgres');
  const url = new URL(server.url);
  url.pathname = `/${DATABASE}`;
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: 'kizuna-bench', LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'false' };
  let web: Awaited<ReturnType<typeof startWeb>>;
  try {
    web = await startWeb(BASE, env, 120_000);
  } catch {
    throw new Error(`the web process did not start on ${DATABASE} (run npm run seed:large first)`);
  }
  try {
    const cookie = await signIn(BASE, 'alumni@example.jp');
    const count = /([\d,]+)人/.exec(await (await fetch(`${BASE}/members`, { headers: { cookie } })).text())?.[1];
    console.log(`directory of ${count} members in ${DATABASE}`);

    // Warm-up: each query once.
    for (const [, path] of QUERIES) await fetch(`${BASE}${encodeURI(path)}`, { headers: { cookie } }).then((r) => r.text());

    const latencies = new Map<string, number[]>();
    let errors = 0;
    let next = 0;
    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < deadline) {
          const [label, path] = QUERIES[next++ % QUERIES.length];
          const t0 = performance.now();
          const res = await fetch(`${BASE}${encodeURI(path)}`, { headers: { cookie } });
          await res.text();
          const ms = performance.now() - t0;
          if (res.status !== 200) errors++;
          const list = latencies.get(label) ?? [];
          list.push(ms);
          latencies.set(label, list);
        }
      }),
    );
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const fmt = (n: number) => n.toFixed(1);
    console.log(`\n${CONNECTIONS} concurrent clients, ${SECONDS} s, ${all.length} requests, ${errors} errors\n`);
    console.log('| query | requests | p50 ms | p95 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [label, list] of latencies) {
      const s = list.sort((a, b) => a - b);
      console.log(`| ${label} | ${s.length} | ${fmt(percentile(s, 50))} | ${fmt(percentile(s, 95))} | ${fmt(percentile(s, 99))} |`);
    }
    console.log(`| **all** | ${all.length} | ${fmt(percentile(all, 50))} | ${fmt(percentile(all, 95))} | ${fmt(percentile(all, 99))} |`);
    console.log(`\n${(all.length / SECONDS).toFixed(0)} requests/s`);
  } finally {
    await stopWeb(web);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
