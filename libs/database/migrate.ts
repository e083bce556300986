import { Client } from 'pg';

const MIGRATION_LOCK = 7_410_001;

/** Applies pending migrations; an advisory lock lets several processes start at once without racing. */
export async function migrateDatabase(orm: { migrator: { up(): Promise<{ name: string }[]> } }, url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
