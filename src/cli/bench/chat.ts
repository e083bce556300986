import 'reflect-metadata';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { freshDatabase } from '@libs/database/resolve-database';
import type { Viewer } from '@libs/security/access-policy';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { CreateChannelCommand, JoinChannelCommand, OpenDirectConversationCommand } from '@modules/networking/contracts';
import { prepareDatabase } from '../../bootstrap';
import { WorkerModule } from '../../worker.module';
import { cpuTimeMs, startWeb, stopWeb } from './bench-support';
import type { FleetClient, FromClients, ToClients } from './chat-clients';

/**
 * npm run bench:chat — chat under load: BENCH_SOCKETS connected sockets (default 1,000) spread over two web processes
 * (NODE_ENV=production) sharing PostgreSQL and Redis, every one of them in one channel. For BENCH_SECONDS (default 30)
 * BENCH_RATE messages a second (default 20) are sent into the channel over Socket.IO, each by another member; every
 * socket records when each message reaches it. Prints send → receipt latency over every delivery (p50/p95/p99),
 * messages lost and duplicated (checked against the seqs the sends were acknowledged with), and the web processes'
 * resident memory and CPU. Then BENCH_DM_PAIRS pairs (default 200) send one direct message each at the same moment,
 * for BENCH_DM_ROUNDS rounds (default 5): send → receipt latency at the other member. The sockets live in
 * BENCH_CLIENT_PROCESSES processes of their own (default 2, chat-clients.ts), as members' devices are separate;
 * BENCH_CLIENT=socket.io uses socket.io-client for them instead of the bare protocol client (chat-clients.ts says why).
 *
 * The database is a fresh `kizuna_bench_chat`; members' sessions are written straight into Redis in the session
 * store's format, as signing in would leave them (signing in 1,000 members through the form measures argon2, not chat).
 */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PAIRS = Number(process.env.BENCH_DM_PAIRS ?? 200);
const DM_ROUNDS = Number(process.env.BENCH_DM_ROUNDS ?? 5);
const CLIENT_PROCESSES = Math.max(1, Number(process.env.BENCH_CLIENT_PROCESSES ?? 2));
const PORTS = [Number(process.env.BENCH_PORT ?? 3920), Number(process.env.BENCH_PORT ?? 3920) + 1];
const BASE_URL = `http://127.0.0.1:${PORTS[0]}`;
const SESSION_SECRET = randomBytes(24).toString('hex');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `kizuna-bench-chat-${process.pid}`;
const FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '一郎', '美咲', '健太', '陽子', '翔', '愛', '大輔', '真由美'];

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const fmt = (n: number) => n.toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

const viewerOf = (memberId: string, role: Viewer['role'] = 'member'): Viewer => ({ memberId, status: 'employee', role, displayName: memberId, locale: 'ja', sessionVersion: 1 });

/** The database: BENCH_SOCKETS members (employees), one channel all of them joined, and PAIRS direct conversations. */
async function seed(url: string): Promise<{ members: string[]; channelId: string; dms: string[] }> {
  process.env.DATABASE_URL = url;
  process.env.DEMO_SEED = 'false';
  process.env.REDIS_PREFIX = REDIS_PREFIX;
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    const bus = app.get(CommandBus);
    const inContext = <T>(fn: () => Promise<T>) => RequestContext.create(orm.em.fork(), fn);
    await inContext(() => bus.execute(new SeedDemoCommunityCommand(0)));
    const members: Member[] = [];
    const profiles: Profile[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const member = Member.seeded({ email: `chat-bench-${i}@example.jp`, status: 'employee', via: 'import' });
      members.push(member);
      profiles.push(new Profile(member.id, { familyName: FAMILY[i % FAMILY.length], givenName: `${GIVEN[i % GIVEN.length]}${i}`, familyNameKana: 'ベンチ', givenNameKana: 'メンバー' }));
    }
    const em = app.get(EntityManager).fork();
    await em.insertMany(Member, members);
    await em.insertMany(Profile, profiles);
    const ids = members.map((m) => m.id);
    const operator = viewerOf(ids[0], 'admin');
    const { conversationId: channelId } = await inContext(() =>
      bus.execute(new CreateChannelCommand(operator, { nameJa: 'ベンチマーク', nameEn: 'Benchmark', descriptionJa: '', descriptionEn: '', audience: 'members' })),
    );
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => inContext(() => bus.execute(new JoinChannelCommand(viewerOf(id), channelId)))));
    }
    const dms: string[] = [];
    for (let p = 0; p < Math.min(PAIRS, Math.floor(ids.length / 2)); p++) {
      const { conversationId } = await inContext(() => bus.execute(new OpenDirectConversationCommand(viewerOf(ids[2 * p]), ids[2 * p + 1])));
      dms.push(conversationId);
    }
    return { members: ids, channelId, dms };
  } finally {
    await app.close();
  }
}

/** A signed-in session for each member, written into the Redis session store; answers each member's cookie. */
async function sessions(members: string[]): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const cookies: string[] = [];
    const ttl = 3600;
    const pipeline = redis.pipeline();
    for (const id of members) {
      const sid = randomBytes(24).toString('base64url');
      const expires = new Date(Date.now() + ttl * 1000).toISOString();
      const data = { cookie: { originalMaxAge: ttl * 1000, expires, secure: false, httpOnly: true, path: '/', sameSite: 'lax' }, passport: { user: { id, v: 1 } } };
      pipeline.set(`${REDIS_PREFIX}:sess:${sid}`, JSON.stringify(data), 'EX', ttl);
      const signature = createHmac('sha256', SESSION_SECRET).update(sid).digest('base64').replace(/=+$/, '');
      cookies.push(`kizuna.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`);
    }
    await pipeline.exec();
    return cookies;
  } finally {
    redis.disconnect();
  }
}

/**
 * The sockets, spread over BENCH_CLIENT_PROCESSES processes of their own (chat-clients.ts; default 2), socket i in
 * process i % N. Sends go to the process holding the sender's socket; arrivals are collected from every process after
 * each phase.
 */
class Fleet {
  private readonly children: ChildProcess[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Extract<FromClients, { type: 'sent' }>) => void>();
  private readonly collected: Extract<FromClients, { type: 'arrivals' }>[] = [];
  private collecting: (() => void) | null = null;

  constructor(readonly processes: number) {}

  async start(baseUrl: string, clients: FleetClient[]): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let n = 0; n < this.processes; n++) {
      const child = fork(join(__dirname, 'chat-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.children.push(child);
      ready.push(
        new Promise((resolve, reject) => {
          child.on('message', (m: FromClients) => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'error') reject(new Error(m.message));
            else if (m.type === 'sent') {
              this.waiting.get(m.id)?.(m);
              this.waiting.delete(m.id);
            } else if (m.type === 'arrivals') {
              this.collected.push(m);
              if (this.collected.length === this.children.length) this.collecting?.();
            }
          });
          child.once('exit', (code) => reject(new Error(`a clients' process exited (${code})`)));
        }),
      );
      child.send({ type: 'init', baseUrl, clients: clients.filter((c) => c.index % this.processes === n) } satisfies ToClients);
    }
    await Promise.all(ready);
  }

  pids(): number[] {
    return this.children.map((c) => c.pid ?? 0);
  }

  send(index: number, conversationId: string, clientId: string, body: string): Promise<Extract<FromClients, { type: 'sent' }>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.children[index % this.processes].send({ type: 'send', id, index, conversationId, clientId, body } satisfies ToClients);
    });
  }

  /** Every process's arrivals since the last collection, with the deliveries `expect`ed that did not arrive. */
  async collect(expect: Extract<ToClients, { type: 'collect' }>['expect']): Promise<{ arrivals: [string, number, boolean][]; duplicates: number; lost: number }> {
    this.collected.length = 0;
    const done = new Promise<void>((resolve) => (this.collecting = resolve));
    for (const child of this.children) child.send({ type: 'collect', expect } satisfies ToClients);
    await done;
    return {
      arrivals: this.collected.flatMap((c) => c.arrivals),
      duplicates: this.collected.reduce((n, c) => n + c.duplicates, 0),
      lost: this.collected.reduce((n, c) => n + c.lost, 0),
    };
  }

  close(): void {
    for (const child of this.children) {
      if (child.connected) child.send({ type: 'close' } satisfies ToClients);
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }
  }
}

/** Send → receipt latencies, sorted, of arrivals whose send time is known (the sender's own copy only if `own`). */
function latenciesOf(arrivals: [string, number, boolean][], sentAt: Map<string, number>, own: boolean): number[] {
  const out: number[] = [];
  for (const [clientId, at, mine] of arrivals) {
    const t0 = sentAt.get(clientId);
    if (t0 !== undefined && (own || !mine)) out.push(at - t0);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const { url, stop } = await freshDatabase('kizuna_bench_chat');
  const webs: ChildProcess[] = [];
  const fleet = new Fleet(CLIENT_PROCESSES);
  try {
    const seedStarted = Date.now();
    const { members, channelId, dms } = await seed(url);
    const cookies = await sessions(members);
    console.log(`Seeded ${members.length} members, one channel and ${dms.length} DMs in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, REDIS_URL, REDIS_PREFIX, BASE_URL, SESSION_SECRET, DEMO_SEED: 'false', MIGRATE_ON_START: 'false', LOG_LEVEL: 'warn' };
    for (const port of PORTS) webs.push(await startWeb(`http://127.0.0.1:${port}`, { ...env, PORT: String(port) }, 60_000));

    // Send time of each message by client id (absolute ms, as the sending socket's process took it).
    const sentAt = new Map<string, number>();
    const dmOf = new Map<number, string>();
    dms.forEach((dm, p) => {
      dmOf.set(2 * p, dm);
      dmOf.set(2 * p + 1, dm);
    });
    const connectStarted = Date.now();
    await fleet.start(
      BASE_URL,
      members.map((memberId, i) => {
        const dm = dmOf.get(i);
        return { index: i, memberId, cookie: cookies[i], port: PORTS[i % 2], conversations: dm ? { [channelId]: 0, [dm]: 0 } : { [channelId]: 0 } };
      }),
    );
    console.log(`Connected and subscribed ${members.length} sockets over ${PORTS.length} web processes in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s, from ${CLIENT_PROCESSES} clients' processes (${process.env.BENCH_CLIENT === 'socket.io' ? 'socket.io-client' : 'bare protocol client'})`);
    const idleRss = webs.map((w) => rssMb(w.pid));

    // 1. The channel: RATE messages a second for SECONDS, each from another member (per-member rate limits hold).
    const cpuBefore = webs.map((w) => cpuTimeMs(w.pid) ?? 0);
    const clientCpuBefore = fleet.pids().map((pid) => cpuTimeMs(pid) ?? 0);
    const acked: number[] = [];
    let refused = 0;
    const maxRss = webs.map(() => 0);
    const sampler = setInterval(() => webs.forEach((w, i) => (maxRss[i] = Math.max(maxRss[i], rssMb(w.pid)))), 500);
    const total = RATE * SECONDS;
    const pending: Promise<void>[] = [];
    const started = performance.now();
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sender = (n * 7) % members.length;
      const clientId = `bench-${n}-${randomUUID().slice(0, 8)}`;
      pending.push(
        fleet.send(sender, channelId, clientId, `ベンチマーク ${n} 東京オフィスからの連絡です`).then((a) => {
          sentAt.set(clientId, a.sentAt);
          if (a.ok && a.seq !== null) acked.push(a.seq);
          else refused++;
        }),
      );
    }
    await Promise.all(pending);
    await sleep(3000);
    clearInterval(sampler);
    const cpuAfter = webs.map((w) => cpuTimeMs(w.pid) ?? 0);
    const clientCpuAfter = fleet.pids().map((pid) => cpuTimeMs(pid) ?? 0);
    const seconds = (performance.now() - started) / 1000;
    const channel = await fleet.collect([{ conversationId: channelId, seqs: acked, indexes: 'all' }]);
    const channelLatencies = latenciesOf(channel.arrivals, sentAt, true);
    const expected = acked.length * members.length;

    console.log('');
    console.log(`## Channel: ${members.length} sockets, ${RATE} messages/s for ${SECONDS} s (${total} sent, ${acked.length} acknowledged, ${refused} refused)`);
    console.log(`deliveries expected ${expected}, received ${channelLatencies.length}, lost ${channel.lost}, duplicates ${channel.duplicates}`);
    console.log(`send → receipt on every socket: p50 ${fmt(percentile(channelLatencies, 50))} ms · p95 ${fmt(percentile(channelLatencies, 95))} ms · p99 ${fmt(percentile(channelLatencies, 99))} ms · max ${fmt(channelLatencies.at(-1) ?? 0)} ms`);
    const pct = (before: number[], after: number[]) => after.map((a, i) => `${(((a - before[i]) / seconds) / 10).toFixed(0)} %`).join(' / ');
    console.log(`web RSS idle ${idleRss.join(' / ')} MB, under load up to ${maxRss.join(' / ')} MB; web CPU ${pct(cpuBefore, cpuAfter)} of one core; the clients' processes ${pct(clientCpuBefore, clientCpuAfter)}`);

    // 2. Direct messages: one member of every pair writes at the same moment, DM_ROUNDS times.
    let dmRefused = 0;
    const dmAcked: { dm: string; seq: number; to: number }[] = [];
    for (let round = 0; round < DM_ROUNDS; round++) {
      await Promise.all(
        dms.map(async (dm, p) => {
          const clientId = `dm-${round}-${p}-${randomUUID().slice(0, 8)}`;
          // Socket i is on web process i % 2, so a pair's two members are on different processes; the writer
          // alternates between the pair's members so that half of the sends arrive at each web process.
          const [from, to] = p % 2 === 0 ? [2 * p, 2 * p + 1] : [2 * p + 1, 2 * p];
          const a = await fleet.send(from, dm, clientId, `こんにちは、${round + 1}回目のメッセージです`);
          sentAt.set(clientId, a.sentAt);
          if (a.ok && a.seq !== null) dmAcked.push({ dm, seq: a.seq, to });
          else dmRefused++;
        }),
      );
      await sleep(1000);
    }
    await sleep(2000);
    const direct = await fleet.collect(dmAcked.map((a) => ({ conversationId: a.dm, seqs: [a.seq], indexes: [a.to] })));
    const dmLatencies = latenciesOf(direct.arrivals, sentAt, false);
    console.log('');
    console.log(`## Direct messages: ${dms.length} pairs at the same moment × ${DM_ROUNDS} rounds (${dmAcked.length} acknowledged, ${dmRefused} refused)`);
    console.log(`received ${dmLatencies.length}, lost ${direct.lost}, duplicates ${direct.duplicates}`);
    console.log(`send → receipt: p50 ${fmt(percentile(dmLatencies, 50))} ms · p95 ${fmt(percentile(dmLatencies, 95))} ms · p99 ${fmt(percentile(dmLatencies, 99))} ms · max ${fmt(dmLatencies.at(-1) ?? 0)} ms`);
  } finally {
    fleet.close();
    for (const w of webs) await stopWeb(w);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${REDIS_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await stop?.();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
