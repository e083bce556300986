import 'reflect-metadata';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { dropDatabase, ensureDatabaseExists, migrateDatabase, resolveDatabase } from '@libs/database';
import { AppModule } from '../app.module';

/**
 * Writes a migration with the difference between the entities and the schema the existing migrations build.
 * Runs against a scratch database so that a developer's own data never matters.
 *   npm run migration:create -- <name>
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const server = await resolveDatabase('postgres');
  const scratch = new URL(server.url);
  scratch.pathname = '/kizuna_migration_scratch';
  await dropDatabase(scratch.toString());
  await ensureDatabaseExists(scratch.toString());
  process.env.DATABASE_URL = scratch.toString();
  process.env.DEMO_SEED = 'false';
  process.env.MIGRATE_ON_START = 'false';
  process.env.KIZUNA_OUTBOX_RELAY = 'off';

  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const orm = app.get(MikroORM);
  try {
    await migrateDatabase(orm, scratch.toString());
    const dir = join(process.cwd(), 'src', 'migrations');
    const result = await orm.migrator.create(dir, false, false, name);
    if (!result.fileName) {
      console.log('No changes: the migrations already match the entities.');
    } else {
      console.log(`Wrote src/migrations/${result.fileName}`);
      writeIndex(dir);
    }
  } finally {
    await app.close();
    await dropDatabase(scratch.toString());
    await server.stop?.();
  }
}

/** Regenerates src/migrations/index.ts from the files in the folder, oldest first. */
function writeIndex(dir: string): void {
  const files = readdirSync(dir).filter((f) => /^Migration\d+.*\.ts$/.test(f)).sort();
  const imports = files.map((f, i) => `import { ${classOf(dir, f)} as M${i} } from './${f.replace(/\.ts$/, '')}';`);
  const entries = files.map((f, i) => `  { name: '${f.replace(/\.ts$/, '')}', class: M${i} },`);
  writeFileSync(
    join(dir, 'index.ts'),
    `import type { MigrationObject } from '@mikro-orm/core';\n${imports.join('\n')}\n\n` +
      `/** Every migration, in order. \`npm run migration:create -- <name>\` writes a new file and this list. */\n` +
      `export const migrations: MigrationObject[] = [\n${entries.join('\n')}\n];\n`,
  );
}

function classOf(dir: string, file: string): string {
  const source = readFileSync(join(dir, file), 'utf8');
  const match = /export class (\w+)/.exec(source);
  if (!match) throw new Error(`No migration class in ${file}`);
  return match[1];
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
