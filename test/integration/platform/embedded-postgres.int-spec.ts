import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@libs/database/resolve-database';

/** `npm start` without any PostgreSQL server: the embedded server starts, keeps its data, and stops. */
describe('embedded PostgreSQL (no DATABASE_URL and nothing on 5432)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kizuna-embedded-'));
  chmodSync(root, 0o755); // like a project folder: readable by the server's own user when started as root
  const port = 54000 + (process.pid % 900);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('initialises a data folder under var/postgres, answers queries, and keeps data across a restart', async () => {
    const url = `postgres://postgres:kizuna-embedded@127.0.0.1:${port}/postgres`;
    let stop = await startEmbeddedPostgres(root, port);
    try {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('create table kept (v text)');
      await client.query(`insert into kept values ('絆')`);
      await client.end();
    } finally {
      await stop();
    }
    stop = await startEmbeddedPostgres(root, port);
    try {
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('select v from kept');
      await client.end();
      expect(rows).toEqual([{ v: '絆' }]);
    } finally {
      await stop();
    }
  }, 60_000);
});
