import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { dropDatabase, freshDatabase } from '@libs/database/resolve-database';
import { searchText, searchTokens } from '@libs/search/japanese-text';
import { cpuTimeMs, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:events — events under load, over HTTP against the built web process (NODE_ENV=production).
 * Builds a fresh database `kizuna_bench_events` with a demo community of BENCH_MEMBERS members (default 600) and
 * BENCH_EVENTS events (default 10,000: mixed categories and formats, two thirds upcoming, a third past), then
 *  1. a burst: BENCH_BURST signed-in members (default 500) register at the same moment for one event with 100 seats;
 *     prints p50/p95/p99 latency and requests per second, and checks that exactly 100 are confirmed and the rest
 *     waitlisted, in order of arrival;
 *  2. the event list: /events, a category filter, a keyword and page 3, each from BENCH_CONNECTIONS concurrent
 *     clients for BENCH_SECONDS seconds; prints p50/p95/p99 (BENCH_SECONDS=0 leaves it out);
 *  3. the floor: once the web process has stopped, the same burst, from the same load generator, against a bare
 *     node:http server that runs the same registration statement after one Redis read (events-floor.ts), for a second
 *     event with 100 seats — what this machine allows without the product's request path.
 */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 600);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const BURST = Number(process.env.BENCH_BURST ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3902);
const FLOOR_PORT = PORT + 1;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'Kizuna-demo-2026';

const CATEGORIES = ['online-meetup', 'seminar', 'party', 'volunteer', 'office-tour', 'family-day', 'other'];
const FORMATS = ['online', 'onsite', 'hybrid'];
const TITLES = ['アルムナイ懇親会', 'データ分析勉強会', '新年交流会', '地域清掃ボランティア', '大阪オフィス見学ツアー', '夏のファミリーデー', 'キャリア相談会', 'オンライン朝活', '営業部OB会', 'AI活用セミナー'];
const PLACES = ['東京都千代田区丸の内 本社ビル', '大阪府大阪市北区梅田 大阪オフィス', '福岡県福岡市博多区 九州支社', '名古屋市中村区 名古屋オフィス', null];

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const fmt = (n: number) => n.toFixed(1);

/** A session for one member, signed in from its own address (the proxy's header), with a form token. */
async function session(email: string, ip: string): Promise<string> {
  const page = await fetch(`${BASE}/login`, { headers: { 'x-forwarded-for': ip } });
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${BASE}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }),
  });
  if (res.status !== 303) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function seedEvents(db: Client, organiser: string): Promise<void> {
  const now = Date.now();
  const day = 24 * 3600 * 1000;
  for (let start = 0; start < EVENTS; start += 500) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(EVENTS, start + 500); i++) {
      const title = `${TITLES[i % TITLES.length]} ${i + 1}`;
      const place = FORMATS[i % 3] === 'online' ? null : PLACES[i % PLACES.length];
      const description = `第${i + 1}回の開催です。${TITLES[(i * 7) % TITLES.length]}も兼ねています。`;
      // Two thirds ahead (up to two years), a third in the past year.
      const startsAt = new Date(i % 3 === 2 ? now - ((i % 365) + 1) * day : now + ((i % 730) + 1) * day + (i % 24) * 3600 * 1000);
      const parts = [title, description, null, place, '運営事務局'];
      const p = values.length;
      rows.push(`(${Array.from({ length: 17 }, (_, k) => `$${p + k + 1}`).join(', ')}, 'Asia/Tokyo', 0, 0, 0, now(), now())`);
      values.push(
        randomUUID(), title, CATEGORIES[i % CATEGORIES.length], FORMATS[i % 3], startsAt, new Date(startsAt.getTime() + 2 * 3600 * 1000), place,
        i % 4 === 0 ? 3000 : 0, i % 5 === 0 ? null : 30 + (i % 50), description, i % 10 === 0 ? 'alumni' : 'members', '運営事務局', organiser,
        new Date(now - (i % 30) * day), searchText(...parts), searchTokens(...parts), 'published',
      );
    }
    await db.query(
      `insert into events.event (id, title, category, format, starts_at, ends_at, place, fee_yen, capacity, description, visibility,
         organiser_name, created_by, published_at, search_text, search_tokens, state, time_zone, max_companions, confirmed_seats, waitlist_count, created_at, updated_at)
       values ${rows.join(', ')}`,
      values,
    );
  }
  await db.query('analyze events.event');
}

async function measure(label: string, path: string, cookie: string) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const res = await fetch(`${BASE}${path}`, { headers: { cookie } });
        await res.text();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { label, path, n: latencies.length, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/** An event with 100 seats, open for registration, for one burst. */
async function burstEvent(db: Client, organiser: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
      `insert into events.event (id, title, category, format, starts_at, ends_at, place, fee_yen, capacity, description, visibility, organiser_name, created_by,
         published_at, search_text, search_tokens, state, time_zone, max_companions, confirmed_seats, waitlist_count, created_at, updated_at)
       values ($1, '人気の懇親会（定員100名）', 'party', 'onsite', now() + interval '30 days', now() + interval '30 days 2 hours', '本社ビル', 0, 100, '', 'members',
         '運営事務局', $2, now(), '', '{}', 'published', 'Asia/Tokyo', 0, 0, 0, now(), now()) returning id`,
      [randomUUID(), organiser],
  );
  return rows[0].id;
}

type Burst = { latencies: number[]; failures: number; wall: number; cpuMs: number | undefined; loadMs: number };

/** Every session presses "register" at the same moment; latencies sorted. */
async function burst(base: string, eventId: string, sessions: { cookie: string; token: string }[], pid: number | undefined): Promise<Burst> {
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = cpuTimeMs(pid);
  const ownBefore = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (s) => {
      const t = performance.now();
      const res = await fetch(`${base}/events/${eventId}/register`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: s.token }),
      });
      await res.text();
      latencies.push(performance.now() - t);
      if (res.status !== 303 || res.headers.get('location') !== `/events/${eventId}`) failures++;
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpuAfter = cpuTimeMs(pid);
  const own = process.cpuUsage(ownBefore);
  latencies.sort((a, b) => a - b);
  return { latencies, failures, wall, cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, loadMs: (own.user + own.system) / 1000 };
}

/** Prints one burst's row and fails unless exactly 100 are confirmed and the rest waitlisted, in order of arrival. */
async function report(db: Client, label: string, eventId: string, result: Burst): Promise<void> {
  const { latencies, wall } = result;
  const { rows: states } = await db.query<{ state: string; n: string }>(`select state, count(*) as n from events.registration where event_id = $1 group by state`, [eventId]);
  const { rows: order } = await db.query<{ ok: boolean }>(
    `select bool_and(c.max_seq < w.min_seq) as ok from
       (select max(seq) as max_seq from events.registration where event_id = $1 and state = 'confirmed') c,
       (select min(seq) as min_seq from events.registration where event_id = $1 and state = 'waitlisted') w`,
    [eventId],
  );
  const byState = Object.fromEntries(states.map((r) => [r.state, Number(r.n)]));
  console.log(`\n${label}: ${latencies.length} simultaneous registrations for 100 seats: ${fmt(wall)} s, ${fmt(latencies.length / wall)} req/s, ${result.failures} failed`);
  console.log('| requests | p50 ms | p95 ms | p99 ms | max ms | req/s | confirmed | waitlisted | confirmed all before waitlisted |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  console.log(
    `| ${latencies.length} | ${fmt(percentile(latencies, 50))} | ${fmt(percentile(latencies, 95))} | ${fmt(percentile(latencies, 99))} | ${fmt(latencies[latencies.length - 1])} | ${fmt(latencies.length / wall)} | ${byState.confirmed ?? 0} | ${byState.waitlisted ?? 0} | ${order[0].ok} |`,
  );
  if (result.cpuMs !== undefined) console.log(`server process CPU: ${fmt(result.cpuMs)} ms for the burst, ${(result.cpuMs / latencies.length).toFixed(2)} ms per registration`);
  console.log(`load generator (this process) CPU: ${fmt(result.loadMs)} ms for the burst`);
  if (byState.confirmed !== 100 || byState.waitlisted !== latencies.length - 100 || !order[0].ok) throw new Error(`${label}: the burst did not give 100 confirmed and the rest waitlisted in order`);
}

/** 2. The event list: each page from CONNECTIONS concurrent clients for SECONDS seconds. */
async function listPages(viewer: string, events: string): Promise<void> {
  const pages: [string, string][] = [
    ['upcoming, first page', '/events'],
    ['category filter', '/events?category=seminar'],
    ['keyword (懇親会)', `/events?q=${encodeURIComponent('懇親会')}`],
    ['keyword + past tab', `/events?tab=past&q=${encodeURIComponent('大阪')}`],
    ['page 3', '/events?page=3'],
    ['month filter', `/events?month=${new Date(Date.now() + 60 * 24 * 3600 * 1000).toISOString().slice(0, 7)}`],
  ];
  for (const [, path] of pages) await fetch(`${BASE}${path}`, { headers: { cookie: viewer } }).then((r) => r.text());
  const results = [];
  for (const [label, path] of pages) results.push(await measure(label, path, viewer));
  console.log(`\n2. The event list (${events} events), ${CONNECTIONS} concurrent clients, ${SECONDS} s per page`);
  console.log('| page | path | requests | p50 ms | p95 ms | p99 ms | errors |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of results) console.log(`| ${r.label} | \`${decodeURIComponent(r.path)}\` | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} |`);
}

async function main(): Promise<void> {
  const server = await freshDatabase('kizuna_bench_events');
  const url = new URL(server.url);
  const env = {
    ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(PORT), BASE_URL: BASE, REDIS_PREFIX: `kizuna-bench-events-${Date.now()}`,
    LOG_LEVEL: 'warn', SESSION_SECRET: 'benchmark-only-session-secret-0123456789', DEMO_SEED: 'true', DEMO_MEMBERS: String(MEMBERS), TRUST_PROXY: 'true',
  };
  const started = Date.now();
  const web = await startWeb(BASE, env, 300_000);
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const { rows: organisers } = await db.query<{ id: string }>(`select id from membership.member where email = 'operator@example.jp'`);
    await seedEvents(db, organisers[0].id);
    const eventId = await burstEvent(db, organisers[0].id);
    const { rows: people } = await db.query<{ id: string; email: string }>(
      `select id, email from membership.member where status in ('employee', 'alumni') and role = 'member' and email not in ('admin@example.jp', 'operator@example.jp', 'alumni@example.jp', 'employee@example.jp') order by email limit $1`,
      [BURST],
    );
    if (people.length < BURST) throw new Error(`only ${people.length} members to register (BENCH_MEMBERS too small)`);
    const { rows: counted } = await db.query<{ n: string }>(`select count(*) as n from events.event`);
    console.log(`web process and ${counted[0].n} events ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Sessions and form tokens first (sign-in hashing is not what is measured).
    const sessions: { cookie: string; token: string }[] = [];
    for (let i = 0; i < people.length; i += 10) {
      sessions.push(
        ...(await Promise.all(
          people.slice(i, i + 10).map(async (p, k) => {
            const n = i + k;
            const cookie = await session(p.email, `10.77.${(n >> 8) & 255}.${n & 255}`);
            const page = await fetch(`${BASE}/events/${eventId}`, { headers: { cookie } });
            const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
            return { cookie, token };
          }),
        )),
      );
    }
    console.log(`${sessions.length} members signed in`);

    // 1. The burst: every member presses "register" at the same moment.
    await report(db, '1. The web process', eventId, await burst(BASE, eventId, sessions, web.pid));

    // 2. The list at 10,000 events (BENCH_SECONDS=0: the burst only).
    if (SECONDS > 0) await listPages(sessions[0].cookie, counted[0].n);

    // 3. The floor: the same burst against the bare server, with the web process stopped.
    await stopWeb(web);
    const floorEvent = await burstEvent(db, organisers[0].id);
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `${env.REDIS_PREFIX}:floor:`;
    const redis = new Redis(redisUrl);
    const floorSessions = people.map((p) => ({ cookie: `floor=${randomUUID()}`, token: '', memberId: p.id }));
    try {
      await redis.mset(Object.fromEntries(floorSessions.map((s) => [`${prefix}${s.cookie.slice('floor='.length)}`, s.memberId])));
      const floor = fork(join(__dirname, 'events-floor.js'), [url.toString(), redisUrl, prefix, String(FLOOR_PORT)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      try {
        await new Promise<void>((resolve, reject) => {
          floor.once('message', () => resolve());
          floor.once('exit', (code) => reject(new Error(`the floor server stopped (${code})`)));
        });
        await report(db, '3. The floor (bare node:http, one Redis read, the same statement)', floorEvent, await burst(`http://127.0.0.1:${FLOOR_PORT}`, floorEvent, floorSessions, floor.pid));
      } finally {
        floor.kill('SIGTERM');
      }
    } finally {
      await redis.del(floorSessions.map((s) => `${prefix}${s.cookie.slice('floor='.length)}`));
      redis.disconnect();
    }
  } finally {
    await db.end();
    await stopWeb(web);
    await dropDatabase(url.toString()).catch(() => undefined);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
