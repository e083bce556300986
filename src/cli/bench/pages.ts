import autocannon from 'autocannon';
import { dropDatabase, freshDatabase } from '@libs/database/resolve-database';
import { loadavg } from 'node:os';
import { cpuTimeMs, signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:pages — renders the main pages as signed-in people under load.
 * Starts the web process on a fresh database `kizuna_bench` with a demo community of BENCH_MEMBERS members
 * (default 10,000), signs in, and runs each page with autocannon (BENCH_CONNECTIONS connections for
 * BENCH_SECONDS seconds each). Prints p50/p90/p99 latency and requests per second.
 */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3900);
const BASE = `http://127.0.0.1:${PORT}`;
/** Another name lets two benchmarks run on one server side by side. */
const DATABASE = process.env.BENCH_DATABASE ?? 'kizuna_bench';


/** The web process's pid, to read its CPU time around each page. */
let webPid: number | undefined;

async function run(title: string, path: string, cookie?: string) {
  const cpuBefore = cpuTimeMs(webPid);
  const result = await autocannon({ url: `${BASE}${path}`, connections: CONNECTIONS, duration: SECONDS, headers: cookie ? { cookie } : {} });
  const cpuAfter = cpuTimeMs(webPid);
  const bad = result.non2xx + result.errors;
  // CPU of the web process per answered request: what the page costs, whatever else the machine is doing.
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) / result.requests.total).toFixed(2) : 'n/a';
  return { title, path, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, rps: Math.round(result.requests.average), cpu, bad };
}

async function main(): Promise<void> {
  const server = await freshDatabase(DATABASE);
  const url = new URL(server.url);

  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: DATABASE.replace(/_/g, '-'), LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'true', DEMO_MEMBERS: String(MEMBERS) };
  const started = Date.now();
  const web = await startWeb(BASE, env, 300_000);
  webPid = web.pid;
  try {
    console.log(`web process ready with ${MEMBERS} demo members after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const member = await signIn(BASE, 'alumni@example.jp');
    const admin = await signIn(BASE, 'admin@example.jp');
    const profileId = /href="\/admin\/members\/([0-9a-f-]{36})"/.exec(await (await fetch(`${BASE}/admin/members?q=%E5%8D%92%E6%A5%AD`, { headers: { cookie: admin } })).text())?.[1];

    const loadBefore = loadavg()[0];
    const rows = [
      await run('home (guest)', '/'),
      await run('home (member)', '/', member),
      await run("a member's profile", `/members/${profileId}`, member),
      await run('edit own profile', '/profile/edit', member),
      await run('HR: member list, first page', '/admin/members', admin),
      await run('HR: member list, search by kana', '/admin/members?q=%E3%82%BF%E3%83%8A%E3%82%AB', admin),
      await run('health', '/health'),
    ];
    console.log(`\n${MEMBERS} members, ${CONNECTIONS} connections, ${SECONDS} s per page; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`);
    console.log('| page | path | p50 ms | p90 ms | p99 ms | req/s | web CPU ms/request | non-2xx |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.title} | \`${r.path.replace(/[0-9a-f-]{36}/, ':id')}\` | ${r.p50} | ${r.p90} | ${r.p99} | ${r.rps} | ${r.cpu} | ${r.bad} |`);
  } finally {
    await stopWeb(web);
    await dropDatabase(url.toString()).catch(() => undefined);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
