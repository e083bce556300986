import 'reflect-metadata';
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { freshDatabase } from '@libs/database/resolve-database';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { AppModule } from '../../app.module';
import { prepareDatabase } from '../../bootstrap';
import { cpuTimeMs, signIn, startWeb, stopWeb } from './bench-support';
import { prng, seedContent, type ContentSeedResult } from './content-seed';

/**
 * npm run bench:content — Content at size: a fresh database `kizuna_content` (BENCH_DATABASE) with the demo community
 * (BENCH_MEMBERS members, default 1,000) and BENCH_ITEMS items (default 10,000) holding BENCH_COMMENTS comments
 * (default 100,000), written with SQL (content-seed.ts). Then, signed in as a member, it measures req/s and latency of
 * - the list /content: page 1, a type tab, a tag, a search for a word;
 * - an article page with many comments (the hot article: its first 50 comments and their replies);
 * - the same through the JSON API (/api/v1/content…, the article and its comments);
 * against a floor measured in the same run, as bench:forum does: a bare node:http + Handlebars server rendering the
 * same list and article from memory (content-floor.ts). Each page's req/s is shown as % of its floor (goal ≥ 25 %).
 * BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 10) set each run.
 */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 100_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3920);
const FLOOR_PORT = PORT + 1;
const BASE = `http://127.0.0.1:${PORT}`;
const FLOOR = `http://127.0.0.1:${FLOOR_PORT}`;
const DATABASE = process.env.BENCH_DATABASE ?? 'kizuna_content';

interface Row {
  title: string;
  path: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  cpu: string;
  bad: number;
  /** The floor this row is compared with. */
  floor?: Row;
}

async function run(title: string, url: string, pid: number | undefined, cookie?: string, floor?: Row): Promise<Row> {
  const cpuBefore = cpuTimeMs(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: cookie ? { cookie } : {} });
  const cpuAfter = cpuTimeMs(pid);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) / result.requests.total).toFixed(2) : 'n/a';
  const p95 = (result.latency as unknown as Record<string, number>).p97_5 ?? result.latency.p90;
  const u = new URL(url);
  return { title, path: u.pathname + u.search, p50: result.latency.p50, p95, p99: result.latency.p99, rps: Math.round(result.requests.average), cpu, bad: result.non2xx + result.errors, floor };
}

/** The database: the demo community and the content, written once per run. */
async function seed(url: string): Promise<ContentSeedResult> {
  process.env.DATABASE_URL = url;
  process.env.DEMO_SEED = 'false';
  const started = Date.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoCommunityCommand(MEMBERS)));
    const em = app.get(EntityManager).fork();
    const members = (await em.execute<{ id: string }[]>(`select member_id as id from membership.profile where member_status in ('employee', 'alumni') order by member_id`)).map((m) => m.id);
    console.log(`community ready (${members.length} members) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const seeded = await seedContent(em, members, { items: ITEMS, comments: COMMENTS, random: prng(12) });
    console.log(`${seeded.items} items and ${seeded.comments} comments (${seeded.hotComments} on the hot article) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return seeded;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const server = await freshDatabase(DATABASE);
  const url = new URL(server.url).toString();
  try {
    const seeded = await seed(url);
    const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: `${DATABASE.replace(/_/g, '-')}-bench`, LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'false', KIZUNA_OUTBOX_RELAY: 'off' };
    const web = await startWeb(BASE, env, 120_000);
    const floor = fork(join(__dirname, 'content-floor.js'), [url, seeded.hotId, String(FLOOR_PORT)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      floor.once('message', () => resolve());
      floor.once('exit', (code) => reject(new Error(`the floor server stopped (${code})`)));
    });
    const loadBefore = loadavg()[0];
    try {
      const member = await signIn(BASE, 'alumni@example.jp');
      const tag = encodeURIComponent(seeded.tag);
      const word = encodeURIComponent(seeded.word);
      const article = `/content/${seeded.hotId}`;
      // Warm up both, then measure.
      for (const path of ['/content', article, `/api/v1/content${article.slice('/content'.length)}`]) {
        await autocannon({ url: `${BASE}${path}`, connections: 2, duration: Math.min(2, SECONDS), headers: { cookie: member } });
      }
      await autocannon({ url: `${FLOOR}/list`, connections: 2, duration: Math.min(2, SECONDS) });
      const listFloor = await run('floor: 12 cards from memory', `${FLOOR}/list`, floor.pid);
      const articleFloor = await run('floor: article + 50 comments from memory', `${FLOOR}/article`, floor.pid);
      const rows: Row[] = [
        listFloor,
        articleFloor,
        await run('health (trivial route of the web process)', `${BASE}/health`, web.pid),
        await run('list, page 1 (featured on top)', `${BASE}/content`, web.pid, member, listFloor),
        await run('list, type tab (column)', `${BASE}/content?type=column`, web.pid, member, listFloor),
        await run(`list, tag ${seeded.tag}`, `${BASE}/content?tag=${tag}`, web.pid, member, listFloor),
        await run(`list, search ${seeded.word}`, `${BASE}/content?q=${word}`, web.pid, member, listFloor),
        await run(`article, ${seeded.hotComments} comments`, `${BASE}${article}`, web.pid, member, articleFloor),
        await run('API list, page 1', `${BASE}/api/v1/content`, web.pid, member, listFloor),
        await run('API list, type column', `${BASE}/api/v1/content?type=column`, web.pid, member, listFloor),
        await run(`API list, tag ${seeded.tag}`, `${BASE}/api/v1/content?tag=${tag}`, web.pid, member, listFloor),
        await run(`API list, search ${seeded.word}`, `${BASE}/api/v1/content?q=${word}`, web.pid, member, listFloor),
        await run('API article', `${BASE}/api/v1${article}`, web.pid, member, articleFloor),
        await run('API article comments, page 1', `${BASE}/api/v1${article}/comments`, web.pid, member, articleFloor),
      ];
      const loadAfter = loadavg()[0];
      const share = (r: Row) => (r.floor ? `${((r.rps / Math.max(1, r.floor.rps)) * 100).toFixed(1)} %` : '');
      console.log(`\n${seeded.items} items, ${seeded.comments} comments; ${CONNECTIONS} connections, ${SECONDS} s each; signed in as a member\n`);
      console.log('| page | path | p50 ms | p95 ms | p99 ms | req/s | % of floor | CPU ms/request | non-2xx |');
      console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
      for (const r of rows) {
        console.log(`| ${r.title} | \`${r.path.replace(/[0-9a-f-]{36}/, ':id')}\` | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} | ${share(r)} | ${r.cpu} | ${r.bad} |`);
      }
      const measured = rows.filter((r) => r.floor);
      const below = measured.filter((r) => r.rps / Math.max(1, r.floor!.rps) < 0.25);
      console.log(`\ngoal: each page at ≥ 25 % of its floor — ${below.length === 0 ? 'met' : `not met by ${below.length} of ${measured.length}`}`);
      console.log(`load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; (p95 is autocannon's p97.5)`);
    } finally {
      floor.kill('SIGTERM');
      await stopWeb(web);
    }
  } finally {
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
