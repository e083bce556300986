import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { Redis } from 'ioredis';
import { redisAdapter, type SocketAdapterKind } from '@modules/networking/realtime/io-adapter';
import { cpuTimeMs } from './bench-support';

/**
 * `npm run build && node dist/src/cli/bench/chat-adapters.js` — the two Redis adapters of Socket.IO, as chat uses them: two server processes share a
 * private `redis-server`; BENCH_SOCKETS clients (half on each process) sit in one room; process 1 broadcasts to it.
 * Measures, per adapter:
 * - fan-out latency: one broadcast at a time, from the emit on process 1 until the last socket (either process) got it;
 * - a burst: BENCH_BURST broadcasts as fast as possible, until every socket has all of them (throughput);
 * - a Redis restart while process 1 broadcasts 50 times a second: how many broadcasts the sockets on process 2 missed.
 * Clocks: every process reads performance.timeOrigin + performance.now() (one machine).
 */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const now = () => performance.timeOrigin + performance.now();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Child: a bare Socket.IO server with the adapter; `fanout` broadcasts to the room, `count` asks how many nodes exist. */
async function serve(kind: SocketAdapterKind, port: number, redisUrl: string, key: string): Promise<void> {
  const http = createHttpServer();
  const ioServer = new Server(http, { serveClient: false, transports: ['websocket'] });
  const handle = redisAdapter(kind, redisUrl, key);
  ioServer.adapter(handle.factory);
  ioServer.on('connection', (socket) => {
    void socket.join('room');
    socket.on('fanout', (payload: { n: number; pad: string }, ack?: () => void) => {
      ioServer.to('room').emit('m', { n: payload.n, t: now(), pad: payload.pad });
      ack?.();
    });
  });
  http.listen(port, '127.0.0.1', () => process.send?.('ready'));
  process.on('disconnect', () => {
    void ioServer.close().finally(() => handle.close().finally(() => process.exit(0)));
  });
}

interface Row {
  adapter: SocketAdapterKind;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  burstMs: number;
  burstPerSecond: number;
  /** CPU of both server processes during the burst. */
  burstCpuMs: number;
  restartMissed: number;
  restartSent: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await sleep(50);
    }
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function measure(kind: SocketAdapterKind, redisPort: number, redisDir: string, redisRef: { child: ChildProcess }): Promise<Row> {
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const key = `bench-${kind}-${Date.now().toString(36)}`;
  const ports = [await freePort(), await freePort()];
  const servers = ports.map((port) => {
    const child = spawn(process.execPath, [__filename, 'serve', kind, String(port), redisUrl, key], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return { child, ready: new Promise<void>((resolve) => child.once('message', () => resolve())) };
  });
  await Promise.all(servers.map((s) => s.ready));
  // Let each node see the other (the streams adapter's heartbeat) before measuring.
  await sleep(1500);

  const clients: Socket[] = [];
  const received: number[][] = [];
  const latencies = new Map<number, number>();
  let onAll: ((n: number) => void) | null = null;
  const seen = new Map<number, number>();
  for (let i = 0; i < SOCKETS; i++) {
    const socket = io(`http://127.0.0.1:${ports[i % 2]}`, { transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 500 });
    const mine: number[] = [];
    received.push(mine);
    socket.on('m', (msg: { n: number; t: number }) => {
      mine.push(msg.n);
      const count = (seen.get(msg.n) ?? 0) + 1;
      seen.set(msg.n, count);
      if (msg.n >= 0 && count === SOCKETS) onAll?.(msg.n);
      if (msg.n >= 0 && count === SOCKETS) latencies.set(msg.n, now() - msg.t);
    });
    clients.push(socket);
  }
  await Promise.all(clients.map((c) => new Promise<void>((resolve) => (c.connected ? resolve() : c.once('connect', () => resolve())))));
  await sleep(500);
  const trigger = clients[0];
  const emit = (n: number) => new Promise<void>((resolve) => trigger.emit('fanout', { n, pad: 'x'.repeat(300) }, () => resolve()));

  // 1. One broadcast at a time: latency until the last socket has it.
  for (let n = 0; n < ROUNDS; n++) {
    const done = new Promise<void>((resolve) => (onAll = (m) => m === n && resolve()));
    await emit(n);
    await Promise.race([done, sleep(5000)]);
  }
  const sorted = [...latencies.values()].sort((a, b) => a - b);

  // 2. A burst, as fast as the trigger can send.
  const cpuBefore = servers.map((s) => cpuTimeMs(s.child.pid) ?? 0);
  const burstStart = now();
  const last = ROUNDS + BURST - 1;
  const burstDone = new Promise<void>((resolve) => (onAll = (m) => m === last && resolve()));
  for (let n = ROUNDS; n <= last; n++) trigger.emit('fanout', { n, pad: 'x'.repeat(300) });
  await Promise.race([burstDone, sleep(60_000)]);
  const burstMs = now() - burstStart;
  const burstCpuMs = servers.reduce((sum, s, i) => sum + (cpuTimeMs(s.child.pid) ?? 0) - cpuBefore[i], 0);

  // 3. A Redis restart in the middle of 50 broadcasts a second: what the sockets on process 2 miss.
  const first = last + 1;
  let n = first;
  const ticker = setInterval(() => trigger.emit('fanout', { n: n++, pad: '' }), 20);
  await sleep(1000);
  await stopChild(redisRef.child, 'SIGKILL');
  await sleep(1000);
  redisRef.child = await startRedis(redisPort, redisDir);
  await sleep(3000);
  clearInterval(ticker);
  const sent = n - first;
  await sleep(2000);
  let missed = 0;
  for (let i = 1; i < SOCKETS; i += 2) {
    const got = new Set(received[i].filter((m) => m >= first));
    for (let m = first; m < n; m++) if (!got.has(m)) missed++;
  }
  const perSocketMissed = Math.round(missed / Math.floor(SOCKETS / 2));

  for (const c of clients) c.disconnect();
  await Promise.all(servers.map((s) => (s.child.disconnect(), new Promise((r) => s.child.once('exit', r)))));
  return {
    adapter: kind,
    p50: +percentile(sorted, 50).toFixed(2),
    p95: +percentile(sorted, 95).toFixed(2),
    p99: +percentile(sorted, 99).toFixed(2),
    max: +sorted[sorted.length - 1].toFixed(2),
    burstMs: Math.round(burstMs),
    burstPerSecond: Math.round((BURST * SOCKETS) / (burstMs / 1000)),
    burstCpuMs: Math.round(burstCpuMs),
    restartMissed: perSocketMissed,
    restartSent: sent,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kizuna-bench-redis-'));
  const redisPort = await freePort();
  const redisRef = { child: await startRedis(redisPort, dir) };
  const rows: Row[] = [];
  try {
    const order: SocketAdapterKind[] = ['pubsub', 'streams', 'pubsub', 'streams'];
    for (const kind of order) {
      const row = await measure(kind, redisPort, dir, redisRef);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await stopChild(redisRef.child);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${SOCKETS} sockets over 2 processes, ${ROUNDS} single broadcasts, a burst of ${BURST}, a Redis restart at 50 broadcasts/s`);
  console.log('adapter   p50 ms  p95 ms  p99 ms  max ms  burst ms  deliveries/s  server CPU ms  missed in restart (per socket on process 2)');
  for (const r of rows) {
    console.log(
      `${r.adapter.padEnd(8)} ${String(r.p50).padStart(7)} ${String(r.p95).padStart(7)} ${String(r.p99).padStart(7)} ${String(r.max).padStart(7)} ${String(r.burstMs).padStart(9)} ${String(r.burstPerSecond).padStart(13)} ${String(r.burstCpuMs).padStart(14)}  ${r.restartMissed} of ${r.restartSent}`,
    );
  }
}

if (process.argv[2] === 'serve') {
  void serve(process.argv[3] as SocketAdapterKind, Number(process.argv[4]), process.argv[5], process.argv[6]);
} else {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
