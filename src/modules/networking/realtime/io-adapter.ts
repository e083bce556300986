import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@libs/config';

/** The two Redis adapters Socket.IO offers; docs/chat-realtime.md says why chat uses `streams`. */
export type SocketAdapterKind = 'pubsub' | 'streams';
export const CHAT_SOCKET_ADAPTER: SocketAdapterKind = 'streams';

/** A Socket.IO adapter factory over Redis, and how to close the connections it opened. */
export interface RedisAdapterHandle {
  factory: ReturnType<typeof createPubSubAdapter> | ReturnType<typeof createStreamsAdapter>;
  close(): Promise<void>;
}

function connection(url: string, name: string): Redis {
  // Commands wait for a reconnect instead of failing after a few retries: a publish made while Redis restarts goes
  // out once it is back (and PostgreSQL has the message anyway).
  const client = new Redis(url, { connectionName: name, maxRetriesPerRequest: null, enableOfflineQueue: true });
  client.on('error', () => undefined);
  return client;
}

/**
 * Opens the Redis connections of one adapter. `key` prefixes every channel and stream (the installation's
 * REDIS_PREFIX, so that several installations can share one Redis).
 */
export function redisAdapter(kind: SocketAdapterKind, url: string, key: string): RedisAdapterHandle {
  const opened: Redis[] = [];
  const open = (name: string) => {
    const client = connection(url, name);
    opened.push(client);
    return client;
  };
  const closeAll = async () => {
    await Promise.all(opened.map((c) => c.quit().then(() => undefined, () => c.disconnect())));
  };
  if (kind === 'pubsub') {
    return {
      factory: createPubSubAdapter(open('kizuna-io-pub'), open('kizuna-io-sub'), { key, publishOnSpecificResponseChannel: true }),
      close: closeAll,
    };
  }
  // The streams adapter duplicates its client for the stream reader and the pub/sub side; they are tracked here so
  // that closing does not wait for a blocked XREAD to time out.
  const client = open('kizuna-io-streams');
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
    const copy = duplicate(...args);
    copy.on('error', () => undefined);
    opened.push(copy);
    return copy;
  }) as Redis['duplicate'];
  return {
    factory: createStreamsAdapter(client, { streamName: `${key}:stream`, channelPrefix: key, maxLen: 10_000 }),
    close: async () => {
      await Promise.all(opened.map(async (c) => c.disconnect()));
    },
  };
}

/**
 * Socket.IO on the web process's own HTTP server (same port, path /socket.io), with the Redis adapter so that a
 * broadcast from any web process reaches the sockets of all of them. Closing the app disconnects every socket, then
 * closes the adapter's Redis connections.
 */
export class ChatIoAdapter extends IoAdapter {
  private readonly handles: RedisAdapterHandle[] = [];
  private readonly config: AppConfig;

  constructor(app: INestApplicationContext, private readonly kind: SocketAdapterKind = CHAT_SOCKET_ADAPTER) {
    super(app);
    this.config = app.get(AppConfig);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    const handle = redisAdapter(this.kind, this.config.redisUrl, `${this.config.redisPrefix}:socket.io`);
    this.handles.push(handle);
    server.adapter(handle.factory);
    return server;
  }

  override async dispose(): Promise<void> {
    const handles = this.handles.splice(0);
    await Promise.all(handles.map((h) => h.close()));
  }
}
