import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { QueueModule } from '@libs/queue/queue.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { DecideModerationCommand } from '@modules/moderation/contracts';
import {
  BlockMemberCommand,
  GetChatPresenceQuery,
  GetConversationAccessQuery,
  OpenDirectConversationCommand,
  type MessagePageView,
  type MessageView,
} from '@modules/networking/contracts';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildChannel, buildGroup } from '../../factories/chat.factory';

/**
 * Chat's sockets as they run: the built web process (dist of this checkout) started twice on two ports, sharing this
 * run's PostgreSQL database and a private redis-server this file starts and stops. Members sign in over HTTP and
 * connect socket.io-client with their session cookie and Origin = BASE_URL. KIZUNA_TEST_WEB_LOGS=1 prints the web
 * processes' output after the file.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const BASE_URL = process.env.BASE_URL ?? 'http://kizuna.test';
const PREFIX = process.env.REDIS_PREFIX as string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** Polls `check` until it holds (or throws with `what` after `ms`). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

// ---- Processes: a private redis-server and two web processes ----

const children = new Set<ChildProcess>();

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

async function kill(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child) return;
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await exited(child);
  children.delete(child);
}

class PrivateRedis {
  child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'kizuna-chat-redis-'));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** With an append-only file, as a production Redis holding sessions keeps them across a restart. */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    children.add(child);
    this.child = child;
    const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await eventually('redis-server to answer', async () => {
        if (child.exitCode !== null) throw new Error('redis-server exited');
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      });
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    await kill(this.child);
  }
}

class WebProcess {
  child?: ChildProcess;
  log = '';
  constructor(
    readonly port: number,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.log = '';
    const child = spawn(process.execPath, [this.script], { cwd: ROOT, env: { ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    this.child = child;
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await eventually(
      `web process on ${this.port} to answer /health`,
      async () => {
        if (child.exitCode !== null) throw new Error(`web process exited (${child.exitCode}):\n${this.log}`);
        return fetch(`${this.base}/health`).then((r) => r.ok, () => false);
      },
      60_000,
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await kill(this.child, signal);
  }
}

// ---- HTTP: signing in, CSRF tokens ----

function cookieOf(res: Response): string {
  const all = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
  const session = all.find((c) => c.startsWith('kizuna.sid='));
  return session ? session.split(';')[0] : '';
}

async function signIn(base: string, member: BuiltMember): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookie = cookieOf(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: member.email, password: member.password }),
  });
  const signedIn = cookieOf(res);
  if (res.status !== 303 || !signedIn) throw new Error(`sign-in failed for ${member.email}: ${res.status}`);
  return signedIn;
}

async function csrf(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/me`, { headers: { cookie } });
  const body = (await res.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error(`no CSRF token (${res.status})`);
  return body.csrfToken;
}

// ---- Sockets ----

interface Answer {
  ok: boolean;
  error?: { code: string; message: string; key: string };
  [key: string]: unknown;
}

interface SubscribeAnswer extends Answer {
  subscribed: { conversationId: string; lastSeq: number }[];
  conversations: Record<string, Answer & Partial<MessagePageView>>;
}

function connectSocket(port: number, cookie: string | null, origin: string | null = BASE_URL): Socket {
  const extraHeaders: Record<string, string> = {};
  if (cookie) extraHeaders.cookie = cookie;
  if (origin) extraHeaders.origin = origin;
  return io(`http://127.0.0.1:${port}`, { transports: ['websocket'], extraHeaders, reconnection: false, timeout: 5000, forceNew: true });
}

/** Connects, or answers the refusal's message (`connect_error`). */
function attempt(port: number, cookie: string | null, origin: string | null = BASE_URL): Promise<{ socket?: Socket; refused?: string }> {
  const socket = connectSocket(port, cookie, origin);
  return new Promise((done) => {
    socket.once('connect', () => done({ socket }));
    socket.once('connect_error', (e) => {
      socket.close();
      done({ refused: e.message });
    });
  });
}

/**
 * A chat client as the pages' script should be: it subscribes with the last seq it holds per conversation, keeps
 * messages by seq (dropping duplicates), and fills a gap (a seq beyond the next one) with `history {after}`.
 */
class ChatClient {
  socket!: Socket;
  readonly messages = new Map<string, Map<number, MessageView>>();
  /** Every live `message` event, as it came (to count what a socket was sent). */
  readonly live: MessageView[] = [];
  readonly events: { event: string; payload: unknown }[] = [];
  disconnects: string[] = [];
  private filling = new Set<string>();

  constructor(readonly name: string, private readonly cookie: string) {}

  async connect(port: number): Promise<void> {
    const { socket, refused } = await attempt(port, this.cookie);
    if (!socket) throw new Error(`${this.name} refused: ${refused}`);
    this.socket = socket;
    socket.on('message', (m: MessageView) => {
      this.live.push(m);
      this.keep(m.conversationId, [m]);
    });
    for (const event of ['message:updated', 'read', 'typing', 'conversation:changed', 'conversation:left']) {
      socket.on(event, (payload: unknown) => this.events.push({ event, payload }));
    }
    socket.on('disconnect', (reason) => this.disconnects.push(reason));
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  emit<T extends Answer = Answer>(event: string, payload: unknown, timeoutMs = 8000): Promise<T> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
  }

  lastSeq(conversationId: string): number {
    const held = this.messages.get(conversationId);
    if (!held) return 0;
    let seq = 0;
    while (held.has(seq + 1)) seq++;
    return seq;
  }

  async subscribe(conversationIds: string[]): Promise<SubscribeAnswer> {
    const answer = await this.emit<SubscribeAnswer>('subscribe', { conversations: Object.fromEntries(conversationIds.map((id) => [id, this.lastSeq(id)])) });
    for (const [id, page] of Object.entries(answer.conversations ?? {})) if (page.ok && page.items) this.keep(id, page.items);
    return answer;
  }

  /** Sends, retrying with the same clientId while the server cannot answer (a dead process, Redis away). */
  async send(conversationId: string, body: string, clientId: string = randomUUID(), deadlineMs = 30_000): Promise<MessageView> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      let answer: Answer | undefined;
      try {
        if (this.connected) answer = await this.emit('message:send', { conversationId, clientId, body }, 3000);
      } catch {
        /* no acknowledgement in time: resend */
      }
      if (answer?.ok) return answer.message as MessageView;
      if (answer && answer.error?.code !== 'server-error') throw new Error(`${this.name} send refused: ${JSON.stringify(answer.error)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} could not send "${body}"`);
      await sleep(200);
    }
  }

  bodies(conversationId: string): string[] {
    const held = this.messages.get(conversationId) ?? new Map<number, MessageView>();
    return [...held.keys()].sort((a, b) => a - b).map((seq) => textOf(held.get(seq) as MessageView));
  }

  seqs(conversationId: string): number[] {
    return [...(this.messages.get(conversationId)?.keys() ?? [])].sort((a, b) => a - b);
  }

  private keep(conversationId: string, items: MessageView[]): void {
    let held = this.messages.get(conversationId);
    if (!held) this.messages.set(conversationId, (held = new Map()));
    for (const m of items) if (!held.has(m.seq)) held.set(m.seq, m);
    const top = Math.max(...held.keys());
    if (top > this.lastSeq(conversationId)) void this.fill(conversationId);
  }

  /** A gap: asks for what follows the last seq held without one missing. */
  private async fill(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId) || !this.connected) return;
    this.filling.add(conversationId);
    try {
      const page = await this.emit<Answer & Partial<MessagePageView>>('history', { conversationId, after: this.lastSeq(conversationId) });
      if (page.ok && page.items) this.keep(conversationId, page.items);
    } catch {
      /* next message tries again */
    } finally {
      this.filling.delete(conversationId);
    }
  }

  close(): void {
    this.socket?.close();
  }
}

function textOf(m: MessageView): string {
  return m.html.replace(/<[^>]+>/g, '').trim();
}

// ---- The suite ----

let h: ModuleHarness;
let redis: PrivateRedis;
let web1: WebProcess;
let web2: WebProcess;
let buildDir: string;
let webEnv: NodeJS.ProcessEnv;
const clients: ChatClient[] = [];

let alice: BuiltMember;
let bob: BuiltMember;
let carol: BuiltMember;
let erin: BuiltMember;
let outsider: BuiltMember;
let operator: BuiltMember;
let admin: BuiltMember;
let pending: BuiltMember;
let frank: BuiltMember;
let quick: BuiltMember;
const cookies = new Map<string, string>();
let dm: string;
let group: string;
let channel: string;
let blockedDm: string;

function client(name: string, member: BuiltMember): ChatClient {
  const c = new ChatClient(name, cookies.get(member.member.id) as string);
  clients.push(c);
  return c;
}

async function resetRateLimits(): Promise<void> {
  const r = new Redis(redis.url);
  try {
    const keys = await r.keys(`${PREFIX}:rl:chat:message*`);
    if (keys.length) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}

beforeAll(async () => {
  redis = new PrivateRedis(await freePort());
  await redis.start();
  process.env.REDIS_URL = redis.url;

  // The web processes run this checkout's code, built into a directory of this run.
  buildDir = join(ROOT, 'var', `test-build-chat-realtime-${process.pid}`);
  rmSync(buildDir, { recursive: true, force: true });
  execFileSync(join(ROOT, 'node_modules', '.bin', 'swc'), ['src', 'libs', '-d', buildDir, '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--quiet'], { cwd: ROOT, stdio: 'inherit', timeout: 60_000 });

  h = await bootModules([NetworkingModule, MembershipModule, ModerationModule, PrivacyModule, QueueModule]);
  await resetDatabase(h.em);
  alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '花子' });
  bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
  carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '恵' });
  erin = await buildMember(h.em.fork(), { status: 'alumni', familyName: '高橋', givenName: '絵里' });
  outsider = await buildMember(h.em.fork(), { status: 'alumni', familyName: '田中', givenName: '修' });
  frank = await buildMember(h.em.fork(), { status: 'employee', familyName: '伊藤', givenName: '文' });
  quick = await buildMember(h.em.fork(), { status: 'employee', familyName: '渡辺', givenName: '速' });
  operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '一郎' });
  admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', familyName: '管理', givenName: '二郎' });
  pending = await buildMember(h.em.fork(), { status: 'pending', familyName: '申請', givenName: '中' });

  dm = (await h.command(new OpenDirectConversationCommand(alice.viewer, bob.viewer.memberId))).conversationId;
  group = await buildGroup(h.command, alice.viewer, { name: '同期会', listed: false }, [bob.viewer, carol.viewer]);
  channel = await buildChannel(h.command, operator.viewer, { audience: 'members' }, [alice.viewer, bob.viewer, quick.viewer]);
  blockedDm = (await h.command(new OpenDirectConversationCommand(alice.viewer, erin.viewer.memberId))).conversationId;
  await h.command(new BlockMemberCommand(erin.viewer, alice.viewer.memberId, true));
  await buildGroup(h.command, frank.viewer, { name: 'フランク', listed: false }, []);

  const env: NodeJS.ProcessEnv = (webEnv = {
    ...process.env,
    NODE_ENV: 'test',
    REDIS_URL: redis.url,
    REDIS_PREFIX: PREFIX,
    BASE_URL,
    MIGRATE_ON_START: 'false',
    DEMO_SEED: 'false',
    LOG_LEVEL: 'warn',
    KIZUNA_ROOT: ROOT,
  });
  const script = join(buildDir, 'src', 'main.js');
  web1 = new WebProcess(await freePort(), script, env);
  web2 = new WebProcess(await freePort(), script, env);
  await Promise.all([web1.start(), web2.start()]);
  for (const m of [alice, bob, carol, erin, outsider, frank, quick, operator, admin, pending]) cookies.set(m.member.id, await signIn(web1.base, m));
}, 180_000);

afterAll(async () => {
  if (process.env.KIZUNA_TEST_WEB_LOGS) console.log('WEB1\n' + web1?.log.slice(-6000) + '\nWEB2\n' + web2?.log.slice(-6000));
  for (const c of clients) c.close();
  await web1?.kill();
  await web2?.kill();
  // The harness's Redis connections go before the server they talk to is gone for good.
  await h?.close().catch(() => undefined);
  await redis?.stop();
  for (const child of children) await kill(child);
  if (redis) rmSync(redis.dir, { recursive: true, force: true });
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}, 60_000);

describe('chat over Socket.IO, two web processes and one Redis', () => {
  let a: ChatClient;
  let b: ChatClient;

  it('serves the browser client from the same origin', async () => {
    const res = await fetch(`${web1.base}/socket.io/socket.io.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });

  it('A on process 1 and B on process 2 exchange messages in a DM and a group', async () => {
    a = client('A', alice);
    b = client('B', bob);
    await a.connect(web1.port);
    await b.connect(web2.port);
    const subscribedA = await a.subscribe([dm, group]);
    expect(subscribedA.ok).toBe(true);
    expect(subscribedA.subscribed.map((s) => s.conversationId).sort()).toEqual([dm, group, channel, blockedDm].sort());
    expect((await b.subscribe([dm, group])).ok).toBe(true);

    const sent = await a.send(dm, 'こんにちは、佐藤さん');
    expect(sent).toMatchObject({ conversationId: dm, seq: 1, body: 'こんにちは、佐藤さん' });
    await eventually('B to get the DM', () => b.bodies(dm).length === 1);
    expect(b.bodies(dm)).toEqual(['こんにちは、佐藤さん']);
    // Broadcasts never carry the typed text.
    expect(b.live[0].body).toBeNull();

    await b.send(group, '同期会の皆さん、こんにちは');
    await eventually('A to get the group message', () => a.bodies(group).length === 1);
    expect(a.bodies(group)).toEqual(['同期会の皆さん、こんにちは']);

    // Read receipts in a DM reach the other member, across processes.
    expect(await b.emit('read', { conversationId: dm, seq: 1 })).toMatchObject({ ok: true, lastReadSeq: 1 });
    await eventually('A to see B read the DM', () => a.events.some((e) => e.event === 'read' && (e.payload as { memberId: string }).memberId === bob.member.id));

    // Typing reaches the others in the room, not the sender.
    expect(await a.emit('typing', { conversationId: group })).toMatchObject({ ok: true, sent: true });
    await eventually('B to see A typing', () => b.events.some((e) => e.event === 'typing'));
    expect(b.events.find((e) => e.event === 'typing')?.payload).toEqual({ conversationId: group, member: { memberId: alice.member.id, displayName: '山田 花子', deleted: false } });
    expect(a.events.some((e) => e.event === 'typing')).toBe(false);
    // A second typing right away is dropped (nothing stored, nothing sent).
    expect(await a.emit('typing', { conversationId: group })).toMatchObject({ ok: true, sent: false });

    // Presence: both are in the sorted set the core reads.
    expect((await h.query(new GetChatPresenceQuery([alice.member.id, bob.member.id, outsider.member.id]))).sort()).toEqual([alice.member.id, bob.member.id].sort());
  }, 60_000);

  it('process 2 dies mid-stream; B reconnects to process 1 and has every message exactly once, in order', async () => {
    await resetRateLimits();
    const bodies: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const body = `連続メッセージ ${i}`;
      bodies.push(body);
      await a.send(dm, body);
      if (i === 8) {
        await web2.kill('SIGKILL');
        await eventually('B to notice', () => !b.connected);
      }
      if (i === 12) {
        // B comes back through the other process (as a proxy would send it) and asks for what followed its last seq.
        await b.connect(web1.port);
        const answer = await b.subscribe([dm, group]);
        expect(answer.conversations[dm].ok).toBe(true);
      }
      await sleep(20);
    }
    const expected = ['こんにちは、佐藤さん', ...bodies];
    await eventually('B to hold all 21 DM messages', () => b.bodies(dm).length === expected.length);
    expect(b.bodies(dm)).toEqual(expected);
    expect(b.seqs(dm)).toEqual(expected.map((_, i) => i + 1));
    // The socket itself got no message twice.
    const liveSeqs = b.live.filter((m) => m.conversationId === dm).map((m) => m.seq);
    expect(new Set(liveSeqs).size).toBe(liveSeqs.length);
    await web2.start();
  }, 120_000);

  it('the same across a Redis restart', async () => {
    await resetRateLimits();
    // B back on process 2, A on process 1.
    b.close();
    await b.connect(web2.port);
    await b.subscribe([dm, group]);
    const before = b.bodies(dm);
    const bodies: string[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 1; i <= 20; i++) {
      const body = `再起動をまたぐ ${i}`;
      bodies.push(body);
      // Sent while Redis is away: answered `server-error` (or not in time) and sent again with the same clientId.
      await a.send(dm, body, randomUUID(), 60_000);
      if (i === 7) {
        await redis.stop();
        restarted = sleep(1500).then(() => redis.start());
      }
      await sleep(20);
    }
    await restarted;
    const expected = [...before, ...bodies];
    await eventually('B to hold every DM message after the restart', () => b.bodies(dm).length === expected.length, 30_000);
    expect(b.bodies(dm)).toEqual(expected);
    expect(b.seqs(dm)).toEqual(expected.map((_, i) => i + 1));
    expect(a.connected && b.connected).toBe(true);
    // Live delivery across processes works again (not only the backfill).
    const liveBefore = b.live.length;
    await a.send(dm, '再起動のあと');
    await eventually('B to get a live message after the restart', () => b.live.length > liveBefore);
  }, 120_000);

  it('a resend with the same clientId gives one message', async () => {
    await resetRateLimits();
    const clientId = randomUUID();
    const first = (await a.emit('message:send', { conversationId: group, clientId, body: '二度送り' })) as Answer & { message: MessageView; created: boolean };
    const second = (await a.emit('message:send', { conversationId: group, clientId, body: '二度送り' })) as Answer & { message: MessageView; created: boolean };
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toMatchObject({ ok: true, created: false });
    expect(second.message.id).toBe(first.message.id);
    expect(second.message.seq).toBe(first.message.seq);
    await sleep(500);
    expect(b.live.filter((m) => m.id === first.message.id)).toHaveLength(1);
    const page = (await b.emit('history', { conversationId: group, after: first.message.seq - 1 })) as Answer & MessagePageView;
    expect(page.items.filter((m) => m.clientId === clientId)).toHaveLength(1);
  }, 30_000);

  it('a removed group member receives nothing more (the socket stays connected)', async () => {
    const c = client('C', carol);
    await c.connect(web2.port);
    await c.subscribe([group]);
    await b.send(group, '鈴木さんにも届く');
    await eventually('C to get the group message', () => c.bodies(group).includes('鈴木さんにも届く'));

    // The owner removes C over the JSON API on process 1; C's socket is on process 2.
    const res = await fetch(`${web1.base}/api/v1/chat/groups/${group}/members/${carol.member.id}`, {
      method: 'DELETE',
      headers: { cookie: cookies.get(alice.member.id) as string, 'x-csrf-token': await csrf(web1.base, cookies.get(alice.member.id) as string) },
    });
    expect(res.status).toBe(204);
    await eventually('C to be told', () => c.events.some((e) => e.event === 'conversation:left' && (e.payload as { conversationId: string }).conversationId === group));

    const liveBefore = c.live.length;
    await b.send(group, '鈴木さんには届かない');
    await a.send(group, 'これも届かない');
    await eventually('A to get both', () => a.bodies(group).includes('これも届かない') && a.bodies(group).includes('鈴木さんには届かない'));
    await sleep(500);
    expect(c.live.length).toBe(liveBefore);
    expect(c.connected).toBe(true);
    // Subscribing again does not bring it back.
    const again = await c.subscribe([group]);
    expect(again.conversations[group]).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await b.send(group, '再購読のあとも届かない');
    await sleep(500);
    expect(c.live.length).toBe(liveBefore);
  }, 60_000);

  it("a channel's audience narrows: members outside it stop receiving it at once, on every process", async () => {
    const narrowed = await buildChannel(h.command, operator.viewer, { nameJa: '告知', nameEn: 'Notices', audience: 'members' }, [carol.viewer, frank.viewer]);
    const c = client('C-audience', carol);
    const f = client('F-audience', frank);
    await c.connect(web2.port);
    await f.connect(web1.port);
    await c.subscribe([narrowed]);
    await f.subscribe([narrowed]);
    // E (alumni) reads the channel without having joined it, from the other process than the operator's request.
    const e = client('E-audience', erin);
    await e.connect(web2.port);
    expect((await e.subscribe([narrowed])).conversations[narrowed]).toMatchObject({ ok: true });
    await f.send(narrowed, '全員に届く');
    await eventually('C (alumni) to get the channel message', () => c.bodies(narrowed).includes('全員に届く'));
    await eventually('E (reading) to get it too', () => e.bodies(narrowed).includes('全員に届く'));

    const cookie = cookies.get(operator.member.id) as string;
    const res = await fetch(`${web1.base}/api/v1/chat/channels/${narrowed}`, {
      method: 'PATCH',
      headers: { cookie, 'x-csrf-token': await csrf(web1.base, cookie), 'content-type': 'application/json' },
      body: JSON.stringify({ nameJa: '告知', nameEn: 'Notices', audience: 'employees' }),
    });
    expect(res.status).toBe(200);
    await eventually('C to be told it left', () => c.events.some((ev) => ev.event === 'conversation:left' && (ev.payload as { conversationId: string }).conversationId === narrowed));
    await eventually('E (only reading) to be told too', () => e.events.some((ev) => ev.event === 'conversation:left' && (ev.payload as { conversationId: string }).conversationId === narrowed));
    expect(f.events.some((ev) => ev.event === 'conversation:left')).toBe(false);

    const liveBefore = c.live.length;
    const readerBefore = e.live.length;
    await f.send(narrowed, '社員だけに届く');
    await eventually('F to hold its own message', () => f.bodies(narrowed).includes('社員だけに届く'));
    await sleep(500);
    expect(c.live.length).toBe(liveBefore);
    expect(e.live.length).toBe(readerBefore);
    expect(c.connected).toBe(true);
    // Following it again is refused now: it is not theirs to read.
    expect((await e.subscribe([narrowed])).conversations[narrowed]).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 60_000);

  it('a moderation decision the worker applies reaches open conversations at once (through the relay channel)', async () => {
    // The worker relays the outbox (the harness of this file does not).
    const env = { ...webEnv, KIZUNA_REMINDER_SWEEPER: 'off', KIZUNA_OUTBOX_RELAY: 'on' };
    const worker = spawn(process.execPath, [join(buildDir, 'src', 'worker.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(worker);
    let workerLog = '';
    const keep = (chunk: Buffer) => (workerLog = (workerLog + chunk.toString()).slice(-20_000));
    worker.stdout?.on('data', keep);
    worker.stderr?.on('data', keep);
    try {
      const c = client('C-moderation', carol);
      await c.connect(web2.port);
      await c.subscribe([group]);
      // Carol was removed from the group earlier: Bob (in it) watches from process 2, Alice writes from process 1.
      const watcher = client('B-moderation', bob);
      await watcher.connect(web2.port);
      await watcher.subscribe([group]);
      const sent = await a.send(group, '不適切かもしれない発言');
      await eventually('B to get it', () => watcher.bodies(group).includes('不適切かもしれない発言'));

      await h.command(new DecideModerationCommand(operator.viewer, { type: 'chat-message', id: sent.id }, 'hide', '規約違反'));
      await eventually(
        'B to see the message hidden, told by the worker',
        () => watcher.events.some((e) => e.event === 'message:updated' && (e.payload as MessageView).id === sent.id && (e.payload as MessageView).hidden),
        30_000,
      );
      const update = watcher.events.find((e) => e.event === 'message:updated' && (e.payload as MessageView).id === sent.id)?.payload as MessageView;
      expect(update).toMatchObject({ hidden: true, html: '', body: null });
      // Once per socket: the web processes each play it to their own sockets only.
      await sleep(500);
      expect(watcher.events.filter((e) => e.event === 'message:updated' && (e.payload as MessageView).id === sent.id)).toHaveLength(1);
      expect(c.events.some((e) => e.event === 'message:updated' && (e.payload as MessageView).id === sent.id)).toBe(false);

      await h.command(new DecideModerationCommand(operator.viewer, { type: 'chat-message', id: sent.id }, 'keep', ''));
      await eventually(
        'B to see it shown again',
        () => watcher.events.some((e) => e.event === 'message:updated' && (e.payload as MessageView).id === sent.id && !(e.payload as MessageView).hidden),
        30_000,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\nWORKER\n${workerLog.slice(-4000)}`, { cause: e });
    } finally {
      await kill(worker, 'SIGTERM');
    }
  }, 90_000);

  it('a blocked member cannot DM (either way)', async () => {
    const e = client('E', erin);
    await e.connect(web2.port);
    const fromAlice = await a.emit('message:send', { conversationId: blockedDm, clientId: randomUUID(), body: 'ブロックされています' });
    expect(fromAlice).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(fromAlice.error?.message).toMatch(/.+/);
    const fromErin = await e.emit('message:send', { conversationId: blockedDm, clientId: randomUUID(), body: 'ブロックしています' });
    expect(fromErin).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }, 30_000);

  it('refuses a socket from another Origin, without Origin, without a session, with a forged cookie, and a pending member', async () => {
    const aliceCookie = cookies.get(alice.member.id) as string;
    expect(await attempt(web1.port, aliceCookie, 'http://evil.example')).toEqual({ refused: 'forbidden-origin' });
    expect(await attempt(web1.port, aliceCookie, null)).toEqual({ refused: 'forbidden-origin' });
    expect(await attempt(web1.port, null)).toEqual({ refused: 'unauthorized' });
    const forged = aliceCookie.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(await attempt(web1.port, forged)).toEqual({ refused: 'unauthorized' });
    // A session cookie of an anonymous visitor (the login page's) is no sign-in either.
    const anonymous = cookieOf(await fetch(`${web1.base}/login`));
    expect(anonymous).toMatch(/^kizuna\.sid=/);
    expect(await attempt(web1.port, anonymous)).toEqual({ refused: 'unauthorized' });
    expect(await attempt(web2.port, cookies.get(pending.member.id) as string)).toEqual({ refused: 'forbidden' });
  }, 30_000);

  it('suspending a member disconnects their sockets at once, on every process', async () => {
    const on1 = client('F1', frank);
    const on2 = client('F2', frank);
    await on1.connect(web1.port);
    await on2.connect(web2.port);
    const adminCookie = cookies.get(admin.member.id) as string;
    const res = await fetch(`${web1.base}/admin/members/${frank.member.id}/suspend`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': await csrf(web1.base, adminCookie) },
      body: new URLSearchParams({ reason: '規約違反の確認中' }),
    });
    expect(res.status).toBe(303);
    await eventually('both of Frank’s sockets to be disconnected', () => !on1.connected && !on2.connected, 3000);
    expect(on1.disconnects).toEqual(['io server disconnect']);
    expect(on2.disconnects).toEqual(['io server disconnect']);
    expect(await attempt(web2.port, cookies.get(frank.member.id) as string)).toEqual({ refused: 'unauthorized' });
    await eventually('Frank to leave presence', async () => (await h.query(new GetChatPresenceQuery([frank.member.id]))).length === 0, 3000);
  }, 30_000);

  it('signing out in one browser: the next event of that socket answers unauthorized and it is disconnected', async () => {
    const cookie = await signIn(web2.base, outsider);
    const s = new ChatClient('signed-out', cookie);
    clients.push(s);
    await s.connect(web1.port);
    expect(await s.emit('history', { conversationId: channel })).toMatchObject({ ok: true });
    const res = await fetch(`${web2.base}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': await csrf(web2.base, cookie) },
      body: '',
    });
    expect(res.status).toBe(303);
    expect(await s.emit('history', { conversationId: channel })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await eventually('the socket to be disconnected', () => !s.connected, 3000);
    expect(s.disconnects).toEqual(['io server disconnect']);
  }, 30_000);

  it('rate-limits sends per member with a clear error', async () => {
    await resetRateLimits();
    const q = client('Q', quick);
    await q.connect(web1.port);
    const answers: Answer[] = [];
    for (let i = 0; i < 31; i++) answers.push(await q.emit('message:send', { conversationId: channel, clientId: randomUUID(), body: `連投 ${i}` }));
    expect(answers.slice(0, 30).every((x) => x.ok)).toBe(true);
    expect(answers[30]).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    expect(answers[30].error?.message).toContain('送信が多すぎます');
  }, 30_000);

  describe('authorization matrix over socket events', () => {
    type Role = 'non-member' | 'member' | 'removed member' | 'operator (channel)' | 'operator (group)' | 'audience, not joined (channel)';
    const events = ['subscribe', 'message:send', 'history', 'read', 'typing'] as const;
    let sockets: Record<Role, { client: ChatClient; conversation: () => string }>;

    beforeAll(async () => {
      await resetRateLimits();
      sockets = {
        'non-member': { client: client('outsider', outsider), conversation: () => group },
        member: { client: client('member', bob), conversation: () => group },
        'removed member': { client: client('removed', carol), conversation: () => group },
        'operator (channel)': { client: client('operator', operator), conversation: () => channel },
        'operator (group)': { client: client('operator-group', operator), conversation: () => group },
        'audience, not joined (channel)': { client: client('audience', outsider), conversation: () => channel },
      };
      await Promise.all(Object.values(sockets).map((s, i) => s.client.connect(i % 2 ? web2.port : web1.port)));
    }, 30_000);

    async function run(role: Role, event: (typeof events)[number]): Promise<Answer> {
      const { client: c, conversation } = sockets[role];
      const id = conversation();
      c.socket.removeAllListeners('typing');
      switch (event) {
        case 'subscribe': {
          const answer = await c.subscribe([id]);
          return answer.ok ? answer.conversations[id] : answer;
        }
        case 'message:send':
          return c.emit(event, { conversationId: id, clientId: randomUUID(), body: `${role} から` });
        case 'history':
          return c.emit(event, { conversationId: id });
        case 'read':
          return c.emit(event, { conversationId: id, seq: 1 });
        case 'typing':
          return c.emit(event, { conversationId: id });
      }
    }

    const expected: Record<Role, Record<(typeof events)[number], 'ok' | 'not-found' | 'forbidden'>> = {
      'non-member': { subscribe: 'not-found', 'message:send': 'not-found', history: 'not-found', read: 'not-found', typing: 'not-found' },
      member: { subscribe: 'ok', 'message:send': 'ok', history: 'ok', read: 'ok', typing: 'ok' },
      'removed member': { subscribe: 'not-found', 'message:send': 'not-found', history: 'not-found', read: 'not-found', typing: 'not-found' },
      // Operators read every channel (and may follow it live) but write only where they joined.
      'operator (channel)': { subscribe: 'ok', 'message:send': 'forbidden', history: 'ok', read: 'ok', typing: 'forbidden' },
      // Groups and DMs are private: operators are not in them.
      'operator (group)': { subscribe: 'not-found', 'message:send': 'not-found', history: 'not-found', read: 'not-found', typing: 'not-found' },
      'audience, not joined (channel)': { subscribe: 'ok', 'message:send': 'forbidden', history: 'ok', read: 'ok', typing: 'forbidden' },
    };

    for (const role of Object.keys(expected) as Role[]) {
      for (const event of events) {
        it(`${role} × ${event} → ${expected[role][event]}`, async () => {
          const answer = await run(role, event);
          if (expected[role][event] === 'ok') expect(answer).toMatchObject({ ok: true });
          else expect(answer).toMatchObject({ ok: false, error: { code: expected[role][event] } });
        });
      }
    }

    it('the core agrees: what the sockets allowed is what GetConversationAccessQuery says', async () => {
      expect(await h.query(new GetConversationAccessQuery(operator.viewer, channel))).toMatchObject({ read: true, post: false });
      expect(await h.query(new GetConversationAccessQuery(operator.viewer, group))).toBeNull();
      expect(await h.query(new GetConversationAccessQuery(carol.viewer, group))).toBeNull();
    });

    it('an anonymous socket gets no events at all: the handshake is refused', async () => {
      expect(await attempt(web2.port, null)).toEqual({ refused: 'unauthorized' });
    });

    it('malformed payloads are refused without reaching the core', async () => {
      const c = sockets.member.client;
      expect(await c.emit('message:send', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await c.emit('history', { conversationId: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect(await c.emit('read', { conversationId: group, seq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await c.emit('subscribe', { conversations: { [group]: 'zero' } })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });
  });

  it('SIGTERM closes a web process cleanly: its sockets are disconnected and it exits 0', async () => {
    const t = client('T', bob);
    await t.connect(web2.port);
    const child = web2.child as ChildProcess;
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exit, sleep(15_000).then(() => 'timeout' as const)]);
    expect(code).toBe(0);
    await eventually('the socket to be closed', () => !t.connected, 3000);
    children.delete(child);
  }, 30_000);
});
