import { io, type Socket } from 'socket.io-client';
import type { MessageView } from '@modules/networking/contracts';

/**
 * A share of bench:chat's sockets in a process of its own (forked by chat.ts), as the members' devices would be: the
 * socket.io clients of 1,000 members in one Node process would measure that process's own queue — every channel
 * message is 1,000 arrivals to parse one after the other — rather than the server's delivery. Times are absolute
 * (`performance.timeOrigin + performance.now()`, in ms), so a send in one process and its arrival in another compare.
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

interface Held {
  socket: Socket;
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

function connect(baseUrl: string, c: FleetClient): Promise<void> {
  const socket = io(`http://127.0.0.1:${c.port}`, { transports: ['websocket'], extraHeaders: { cookie: c.cookie, origin: baseUrl }, reconnection: false, timeout: 20_000 });
  const client: Held = { socket, memberId: c.memberId, seen: new Map() };
  held.set(c.index, client);
  socket.on('message', (m: MessageView) => {
    const at = now();
    let seen = client.seen.get(m.conversationId);
    if (!seen) client.seen.set(m.conversationId, (seen = new Map()));
    const times = seen.get(m.seq) ?? 0;
    seen.set(m.seq, times + 1);
    if (times > 0) duplicates++;
    else if (m.clientId) arrivals.push([m.clientId, at, m.author.memberId === client.memberId]);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      const timer = setTimeout(() => reject(new Error('subscribe timed out')), 30_000);
      socket.emit('subscribe', { conversations: c.conversations }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.once('connect_error', (e) => reject(e));
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
