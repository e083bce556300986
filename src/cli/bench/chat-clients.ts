import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { MessageView } from '@modules/networking/contracts';

/**
 * A share of bench:chat's sockets in a process of its own (forked by chat.ts), as the members' devices would be: the
 * socket.io clients of 1,000 members in one Node process would measure that process's own queue — every channel
 * message is 1,000 arrivals to parse one after the other — rather than the server's delivery. Times are absolute
 * (`performance.timeOrigin + performance.now()`, in ms), so a send in one process and its arrival in another compare.
 *
 * BENCH_CLIENT picks the client: `ws` (the default) speaks Socket.IO's protocol (Engine.IO 4 over a WebSocket: the
 * open packet, CONNECT, ping → pong, events and acks) on a bare `ws` socket, so that a thousand devices in two
 * processes cost what one device's arrival costs, a JSON parse; `socket.io` uses socket.io-client, whose
 * per-arrival machinery (parser, emitters, manager) made each process's queue part of the measured latency.
 */

export interface FleetClient {
  index: number;
  memberId: string;
  cookie: string;
  port: number;
  conversations: Record<string, number>;
}

export type ToClients =
  | { type: 'init'; baseUrl: string; clients: FleetClient[] }
  | { type: 'send'; id: number; index: number; conversationId: string; clientId: string; body: string }
  | { type: 'collect'; expect: { conversationId: string; seqs: number[]; indexes: number[] | 'all' }[] }
  | { type: 'close' };

export type FromClients =
  | { type: 'ready' }
  | { type: 'sent'; id: number; ok: boolean; seq: number | null; sentAt: number }
  | { type: 'arrivals'; arrivals: [string, number, boolean][]; duplicates: number; lost: number }
  | { type: 'error'; message: string };

const now = () => performance.timeOrigin + performance.now();

/** What the benchmark needs of a socket, whichever client holds it. */
interface ChatSocket {
  emit(event: string, payload: unknown, ack: (answer: never) => void): void;
  disconnect(): void;
}

interface Held {
  socket: ChatSocket;
  memberId: string;
  seen: Map<string, Map<number, number>>;
}

const held = new Map<number, Held>();
/** The first copy on each socket of each message: [clientId, arrived at, the socket is its author's]. */
let arrivals: [string, number, boolean][] = [];
let duplicates = 0;

function reply(message: FromClients): void {
  process.send?.(message);
}

function arrived(client: Held, m: MessageView): void {
  const at = now();
  let seen = client.seen.get(m.conversationId);
  if (!seen) client.seen.set(m.conversationId, (seen = new Map()));
  const times = seen.get(m.seq) ?? 0;
  seen.set(m.seq, times + 1);
  if (times > 0) duplicates++;
  else if (m.clientId) arrivals.push([m.clientId, at, m.author.memberId === client.memberId]);
}

/**
 * Socket.IO (v5 protocol, Engine.IO 4) over a bare WebSocket: `0{…}` open → `40` connect → `40{sid}` connected;
 * `2` ping → `3` pong; `42[event, payload]` events, `42<id>[event, payload]` → `43<id>[answer]` acks; `44{…}` refused.
 */
function rawSocket(baseUrl: string, c: FleetClient, onMessage: (m: MessageView) => void): Promise<ChatSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${c.port}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie: c.cookie, origin: baseUrl } });
  const acks = new Map<number, (answer: never) => void>();
  let nextAck = 0;
  const socket: ChatSocket = {
    emit(event, payload, ack) {
      const id = nextAck++;
      acks.set(id, ack);
      ws.send(`42${id}${JSON.stringify([event, payload])}`);
    },
    disconnect() {
      ws.close();
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), 20_000);
    ws.on('error', (e) => reject(e));
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      switch (text.charCodeAt(0)) {
        case 0x30: // 0: Engine.IO open
          ws.send('40');
          return;
        case 0x32: // 2: ping
          ws.send('3');
          return;
        case 0x34: // 4: a Socket.IO packet
          break;
        default:
          return;
      }
      const type = text.charCodeAt(1);
      if (type === 0x30) {
        clearTimeout(timer);
        resolve(socket);
      } else if (type === 0x34) {
        clearTimeout(timer);
        reject(new Error(`refused: ${text.slice(2)}`));
      } else if (type === 0x32) {
        // 42["message", {…}] (events carry no ack id from this server)
        const [event, payload] = JSON.parse(text.slice(2)) as [string, unknown];
        if (event === 'message') onMessage(payload as MessageView);
      } else if (type === 0x33) {
        const open = text.indexOf('[');
        const id = Number(text.slice(2, open));
        const ack = acks.get(id);
        acks.delete(id);
        ack?.((JSON.parse(text.slice(open)) as unknown[])[0] as never);
      }
    });
  });
}

function socketIoSocket(baseUrl: string, c: FleetClient, onMessage: (m: MessageView) => void): Promise<ChatSocket> {
  const socket = io(`http://127.0.0.1:${c.port}`, { transports: ['websocket'], extraHeaders: { cookie: c.cookie, origin: baseUrl }, reconnection: false, timeout: 20_000 });
  socket.on('message', onMessage);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ emit: (event, payload, ack) => socket.emit(event, payload, ack), disconnect: () => socket.disconnect() }));
    socket.once('connect_error', (e) => reject(e));
  });
}

async function connect(baseUrl: string, c: FleetClient): Promise<void> {
  const client: Held = { socket: null as unknown as ChatSocket, memberId: c.memberId, seen: new Map() };
  held.set(c.index, client);
  client.socket = await (process.env.BENCH_CLIENT === 'socket.io' ? socketIoSocket : rawSocket)(baseUrl, c, (m) => arrived(client, m));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('subscribe timed out')), 30_000);
    client.socket.emit('subscribe', { conversations: c.conversations }, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function init(baseUrl: string, clients: FleetClient[]): Promise<void> {
  for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => connect(baseUrl, c)));
  reply({ type: 'ready' });
}

function send(message: Extract<ToClients, { type: 'send' }>): void {
  const client = held.get(message.index);
  if (!client) {
    reply({ type: 'sent', id: message.id, ok: false, seq: null, sentAt: now() });
    return;
  }
  const sentAt = now();
  const timer = setTimeout(() => reply({ type: 'sent', id: message.id, ok: false, seq: null, sentAt }), 10_000);
  client.socket.emit('message:send', { conversationId: message.conversationId, clientId: message.clientId, body: message.body }, (answer: { ok: boolean; message?: MessageView }) => {
    clearTimeout(timer);
    reply({ type: 'sent', id: message.id, ok: !!answer?.ok && !!answer.message, seq: answer?.message?.seq ?? null, sentAt });
  });
}

function collect(expect: Extract<ToClients, { type: 'collect' }>['expect']): void {
  let lost = 0;
  for (const e of expect) {
    const indexes = e.indexes === 'all' ? [...held.keys()] : e.indexes.filter((i) => held.has(i));
    for (const i of indexes) {
      const seen = held.get(i)!.seen.get(e.conversationId);
      for (const seq of e.seqs) if (!seen?.has(seq)) lost++;
    }
  }
  reply({ type: 'arrivals', arrivals, duplicates, lost });
  arrivals = [];
  duplicates = 0;
}

process.on('message', (message: ToClients) => {
  switch (message.type) {
    case 'init':
      init(message.baseUrl, message.clients).catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
      break;
    case 'send':
      send(message);
      break;
    case 'collect':
      collect(message.expect);
      break;
    case 'close':
      for (const c of held.values()) c.socket.disconnect();
      setTimeout(() => process.exit(0), 100);
      break;
  }
});
// The parent went away: so do the sockets.
process.on('disconnect', () => process.exit(0));
