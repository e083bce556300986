import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { resolveDatabase } from '@libs/database/resolve-database';
import { cpuTimeMs, signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:forum — the forum at size, on the database `npm run seed:forum` made (BENCH_DATABASE, default
 * kizuna_forum: 50,000 threads, 1,000,000 posts). Measures, signed in as a member:
 * - the thread page (20 posts, and 50 for comparison) against a floor measured in the same run: a bare node:http +
 *   Handlebars server rendering the same posts from memory (forum-floor.ts); and the same page from memory behind the
 *   least of the product's stack — Nest on Express, the Redis session, passport (stack-floor.ts) — which bounds what
 *   any page on this stack can reach;
 * - the board list, /forum/unread, and search for two-character words (p95);
 * - the web process's resident memory under that load.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3910);
const FLOOR_PORT = PORT + 1;
const STACK_PORT = PORT + 2;
const BASE = `http://127.0.0.1:${PORT}`;
const DATABASE = process.env.BENCH_DATABASE ?? 'kizuna_forum';

let webPid: number | undefined;
let maxRssMb = 0;

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

interface Row {
  title: string;
  path: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  cpu: string;
  bad: number;
  /** The web process's resident memory at most during this row, MB (sampled every half second). */
  rss: number | undefined;
}

async function run(title: string, url: string, cookie?: string, pid = webPid, connections = CONNECTIONS): Promise<Row> {
  const cpuBefore = cpuTimeMs(pid);
  let rss = 0;
  const sampler = setInterval(() => {
    rss = Math.max(rss, rssMb(webPid));
    maxRssMb = Math.max(maxRssMb, rss);
  }, 500);
  const result = await autocannon({ url, connections, duration: SECONDS, headers: cookie ? { cookie } : {} });
  clearInterval(sampler);
  const cpuAfter = cpuTimeMs(pid);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) / result.requests.total).toFixed(2) : 'n/a';
  const p95 = (result.latency as unknown as Record<string, number>).p97_5 ?? result.latency.p90;
  return { title, path: new URL(url).pathname + new URL(url).search, p50: result.latency.p50, p95, p99: result.latency.p99, rps: Math.round(result.requests.average), cpu, bad: result.non2xx + result.errors, rss: pid === webPid ? rss : undefined };
}

async function main(): Promise<void> {
  const server = await resolveDatabase('postgres');
  const url = new URL(server.url);
  url.pathname = `/${DATABASE}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  const [{ posts, threads }] = (await db.query<{ posts: string; threads: string }>('select (select count(*) from networking.post) as posts, (select count(*) from networking.thread) as threads')).rows;
  // A long thread on a members' board, as a member reads it.
  const [thread] = (await db.query<{ id: string }>(`select t.id from networking.thread t join networking.board b on b.id = t.board_id where b.visibility = 'members' and t.last_number >= 50 order by t.last_post_at desc limit 1`)).rows;
  // The member measured reads like a regular: first came a month ago, watches 300 active threads and has read half
  // of them to the end (the rest stay unread), and watches one board.
  await db.query(`insert into networking.forum_visit (member_id, first_visit_at, last_visit_at, previous_visit_at)
      select id, now() - interval '30 days', now() - interval '1 day', now() - interval '2 days' from membership.member where email = 'alumni@example.jp'
      on conflict (member_id) do update set first_visit_at = excluded.first_visit_at`);
  await db.query(`insert into networking.thread_watch (member_id, thread_id, level)
      select m.id, t.id, 'watching' from membership.member m, (select id from networking.thread order by last_post_at desc limit 300) t
       where m.email = 'alumni@example.jp' on conflict do nothing`);
  await db.query(`insert into networking.thread_read (member_id, thread_id, last_read_number)
      select m.id, t.id, t.last_number from membership.member m, (select id, last_number from networking.thread order by last_post_at desc limit 300) t
       where m.email = 'alumni@example.jp' and get_byte(uuid_send(t.id), 15) < 128 on conflict do nothing`);
  await db.query(`insert into networking.board_watch (member_id, board_id, level)
      select m.id, (select id from networking.board where visibility = 'members' order by position limit 1), 'watching' from membership.member m
       where m.email = 'alumni@example.jp' on conflict do nothing`);
  await db.end();
  if (!thread) throw new Error(`${DATABASE} has no thread of 50 posts: run npm run seed:forum first`);

  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: `${DATABASE.replace(/_/g, '-')}-bench`, LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'false', KIZUNA_OUTBOX_RELAY: 'off' };
  const web = await startWeb(BASE, env, 120_000);
  webPid = web.pid;
  const floor = fork(join(__dirname, 'forum-floor.js'), [url.toString(), thread.id, String(FLOOR_PORT)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const stack = fork(join(__dirname, 'stack-floor.js'), [url.toString(), thread.id, String(STACK_PORT), process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${env.REDIS_PREFIX}-stack`], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  for (const child of [floor, stack]) {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`a floor server stopped (${code})`)));
    });
  }
  try {
    const member = await signIn(BASE, 'alumni@example.jp');
    // Warm up both, then measure.
    await autocannon({ url: `${BASE}/forum/t/${thread.id}?page=1`, connections: 2, duration: 2, headers: { cookie: member } });
    await autocannon({ url: `http://127.0.0.1:${FLOOR_PORT}/t`, connections: 2, duration: 2 });
    const stackSession = (await fetch(`http://127.0.0.1:${STACK_PORT}/sign-in`)).headers.get('set-cookie')?.split(';')[0];
    if (!stackSession) throw new Error('the stack floor gave no session');
    await autocannon({ url: `http://127.0.0.1:${STACK_PORT}/t`, connections: 2, duration: 2, headers: { cookie: stackSession } });
    const floor20 = await run('floor: 20 posts from memory', `http://127.0.0.1:${FLOOR_PORT}/t?per=20`, undefined, floor.pid);
    const stack20 = await run('stack floor: 20 posts from memory, Nest + Redis session + passport', `http://127.0.0.1:${STACK_PORT}/t?per=20`, stackSession, stack.pid);
    const health = await run('the request path alone: /health, signed in', `${BASE}/health`, member);
    const page20 = await run('thread page, 20 posts', `${BASE}/forum/t/${thread.id}?page=1`, member);
    const floor50 = await run('floor: 50 posts from memory', `http://127.0.0.1:${FLOOR_PORT}/t?per=50`, undefined, floor.pid);
    const page50 = await run('thread page, 50 posts', `${BASE}/forum/t/${thread.id}?page=1&per=50`, member);
    const rows = [
      floor20,
      stack20,
      health,
      page20,
      floor50,
      page50,
      await run('board list', `${BASE}/forum`, member),
      await run('unread (watched threads)', `${BASE}/forum/unread`, member),
      await run('search 東京 (page)', `${BASE}/forum/search?q=${encodeURIComponent('東京')}`, member),
      await run('search 人事 (API)', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('人事')}`, member),
      await run('search 勉強会 (API)', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('勉強会')}`, member),
      // One person searching at a time: the latency of a search itself, without queueing behind nine others.
      await run('search 東京 (API), 1 connection', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('東京')}`, member, webPid, 1),
      await run('search 人事 (API), 1 connection', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('人事')}`, member, webPid, 1),
      await run('search 勉強会 (API), 1 connection', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('勉強会')}`, member, webPid, 1),
      await run('search 梅田 (API, rare), 1 connection', `${BASE}/api/v1/forum/search?q=${encodeURIComponent('梅田')}`, member, webPid, 1),
    ];
    console.log(`\n${threads} threads, ${posts} posts; ${CONNECTIONS} connections (unless the row says otherwise), ${SECONDS} s each\n`);
    console.log('| page | path | p50 ms | p95 ms | p99 ms | req/s | CPU ms/request | web RSS MB at most | non-2xx |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.title} | \`${r.path.replace(/[0-9a-f-]{36}/, ':id')}\` | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${r.cpu} | ${r.rss ?? '—'} | ${r.bad} |`);
    console.log(`\nthread page at ${((page20.rps / floor20.rps) * 100).toFixed(1)} % of the floor (20 posts), ${((page50.rps / floor50.rps) * 100).toFixed(1)} % (50 posts)`);
    console.log(`stack floor at ${((stack20.rps / floor20.rps) * 100).toFixed(1)} % of the floor (20 posts): no page on this stack can reach more; the product's /health at ${((health.rps / floor20.rps) * 100).toFixed(1)} %`);
    console.log(`web process resident memory: at most ${maxRssMb} MB during the runs`);
    console.log('(p95 is autocannon\'s p97.5)');
  } finally {
    floor.kill('SIGTERM');
    stack.kill('SIGTERM');
    await stopWeb(web);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
