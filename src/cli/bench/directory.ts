import { loadavg } from 'node:os';
import { Client } from 'pg';
import { resolveDatabase } from '@libs/database/resolve-database';
import type { Viewer } from '@libs/security/access-policy';
import type { DirectoryFilter } from '@modules/membership/contracts';
import { plainDirectoryQuery } from '@modules/membership/application/directory/plain-directory-query';
import { signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:directory — the member directory over HTTP as a signed-in member, on the database made by
 * `npm run seed:large` (100,000 members). A fixed mix of queries runs from BENCH_CONNECTIONS concurrent clients
 * for BENCH_SECONDS seconds; prints p50/p95/p99 latency and requests per second, per query and overall, the machine's
 * load average before and after, and for every query the count the page shows next to the exact count (computed
 * apart, by the plain query that checks every row) and the error.
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
  ['two common words', '/members?q=マーケティング 東京'],
  ['two common words', '/members?q=営業 東京'],
  ['word + two filters', '/members?q=人事&status=alumni&location=大阪'],
  ['word + two filters', '/members?q=営業&status=employee&location=東京'],
  ['popular skill word', '/members?q=Excel'],
  ['popular skill word', '/members?q=英語&page=3'],
  ['variant kanji name', '/members?q=高橋'],
  ['variant kanji name', '/members?q=山﨑'],
];

/** The filter a directory URL asks for, as the page reads it. */
function filterOf(path: string): DirectoryFilter {
  const query = new URL(path, 'http://x').searchParams;
  const filter: DirectoryFilter = {};
  for (const key of ['q', 'department', 'skill', 'interest', 'location'] as const) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  if (query.get('status')) filter.status = query.get('status') as DirectoryFilter['status'];
  if (query.get('leftYear')) filter.leftYear = Number(query.get('leftYear'));
  if (query.get('sort')) filter.sort = query.get('sort') as DirectoryFilter['sort'];
  if (query.getAll('openTo').length) filter.openTo = query.getAll('openTo') as DirectoryFilter['openTo'];
  return filter;
}

/** `?` placeholders (as MikroORM takes them) to PostgreSQL's numbered ones. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

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

    // Warm-up: each query once; the count each page shows is kept for the accuracy check.
    const shown = new Map<string, { n: number; approximate: boolean }>();
    for (const [, path] of QUERIES) {
      const html = await fetch(`${BASE}${encodeURI(path)}`, { headers: { cookie } }).then((r) => r.text());
      const m = /<div class="page-head">[\s\S]*?<p class="muted">(約)?([\d,]+)人<\/p>/.exec(html);
      shown.set(path, { n: m ? Number(m[2].replace(/,/g, '')) : NaN, approximate: !!m?.[1] });
    }

    console.log(`load average before: ${load()}`);
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
    console.log(`\n${(all.length / SECONDS).toFixed(0)} requests/s; load average after: ${load()}`);

    // Count accuracy: the shown count against the exact count of the plain query, for the same viewer.
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const [me] = (await db.query<Viewer & { memberId: string }>(`select id as "memberId", status, role from membership.member where email = 'alumni@example.jp'`)).rows;
      const viewer: Viewer = { ...me, displayName: '', locale: 'ja', sessionVersion: 0 };
      console.log('\n| query | shown | exact | error % | exact count took ms |');
      console.log('|---|---:|---:|---:|---:|');
      for (const [, path] of QUERIES) {
        const plain = plainDirectoryQuery(viewer, filterOf(path));
        const t0 = performance.now();
        const exact = Number((await db.query<{ n: string }>(numbered(`select count(*) as n ${plain.from}`), plain.params)).rows[0].n);
        const took = performance.now() - t0;
        const s = shown.get(path)!;
        const error = exact === 0 ? (s.n === 0 ? 0 : 100) : (100 * (s.n - exact)) / exact;
        console.log(`| ${path} | ${s.approximate ? '約' : ''}${s.n} | ${exact} | ${error.toFixed(1)} | ${took.toFixed(0)} |`);
      }
    } finally {
      await db.end();
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
