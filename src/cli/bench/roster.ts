import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import * as iconv from 'iconv-lite';
import { Client } from 'pg';
import { dropDatabase, ensureDatabaseExists, resolveDatabase } from '@libs/database/resolve-database';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { AppModule } from '../../app.module';
import { prepareDatabase } from '../../bootstrap';
import { signIn, startWeb, stopWeb } from './bench-support';

/**
 * npm run bench:roster — the HR roster import end to end, as an admin does it over HTTP with the web and worker
 * processes running: upload a 10,000-row Shift_JIS file (dry run), confirm, and follow the page until the job is done.
 * Three files on a fresh database `kizuna_bench_roster` (BENCH_DATABASE) with BENCH_EMPLOYEES (5,000) employees:
 *   1. first import: half the rows are existing members (linked), half are new people (invited, one mail each);
 *   2. the same file again (everything unchanged);
 *   3. a later export: 2,000 of the members have left (alumni, career closed, one mail each), 1,000 invitees moved
 *      department, the rest unchanged.
 * Prints the time to the preview page, from confirming to the finished page, and the job's own duration.
 */
const DATABASE = process.env.BENCH_DATABASE ?? 'kizuna_bench_roster';
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 5_000);
const PORT = Number(process.env.BENCH_PORT ?? 3902);
const BASE = `http://127.0.0.1:${PORT}`;
const HEADER = '社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職,入社日,退職日';
const FAMILY = [['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['髙橋', 'タカハシ'], ['田中', 'タナカ'], ['渡辺', 'ワタナベ'], ['伊藤', 'イトウ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ']];
const GIVEN = [['一郎', 'イチロウ'], ['花子', 'ハナコ'], ['健', 'ケン'], ['美咲', 'ミサキ'], ['翔太', 'ショウタ'], ['陽菜', 'ヒナ']];
const DEPARTMENTS = ['営業部', '人事部', '開発本部 プラットフォーム課', '経理部', '第①営業部'];

const employeeEmail = (i: number) => `staff${i}@bench.example.jp`;

interface Person {
  number: string;
  email: string;
  i: number;
}

function people(): Person[] {
  const members = Math.min(EMPLOYEES, Math.floor(ROWS / 2));
  return Array.from({ length: ROWS }, (_, i) => ({
    number: `B${String(i).padStart(6, '0')}`,
    email: i < members ? employeeEmail(i) : `newcomer${i}@bench.example.jp`,
    i,
  }));
}

function csv(rows: Person[], change: (p: Person) => { department?: string; leftOn?: string } = () => ({})): Buffer {
  const lines = rows.map((p) => {
    const [family, familyKana] = FAMILY[p.i % FAMILY.length];
    const [given, givenKana] = GIVEN[p.i % GIVEN.length];
    const c = change(p);
    const department = c.department ?? DEPARTMENTS[p.i % DEPARTMENTS.length];
    return [p.number, family, given, familyKana, givenKana, p.email, `"${department}"`, p.i % 7 === 0 ? '課長' : '', `20${String(10 + (p.i % 15))}/4/1`, c.leftOn ?? ''].join(',');
  });
  return iconv.encode(`${[HEADER, ...lines].join('\r\n')}\r\n`, 'cp932');
}

async function seed(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabaseExists(url);
  process.env.DATABASE_URL = url;
  process.env.DEMO_SEED = 'false';
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    await RequestContext.create(orm.em.fork(), () => app.get(CommandBus).execute(new SeedDemoCommunityCommand(0)));
    const em = app.get(EntityManager);
    for (let done = 0; done < EMPLOYEES; done += 1000) {
      const members: Member[] = [];
      const profiles: Profile[] = [];
      for (let i = done; i < Math.min(EMPLOYEES, done + 1000); i++) {
        const member = Member.seeded({ email: employeeEmail(i), status: 'employee', via: 'import' });
        const profile = new Profile(member.id, { familyName: FAMILY[i % FAMILY.length][0], givenName: GIVEN[i % GIVEN.length][0], familyNameKana: FAMILY[i % FAMILY.length][1], givenNameKana: GIVEN[i % GIVEN.length][1] });
        profile.replaceCareer([{ department: DEPARTMENTS[i % DEPARTMENTS.length], position: '', from: '2012-04', to: null }]);
        members.push(member);
        profiles.push(profile);
      }
      const fork = em.fork();
      await fork.insertMany(Member, members);
      await fork.insertMany(Profile, profiles);
    }
  } finally {
    await app.close();
  }
}

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(dirname(process.argv[1]), '..', '..', 'worker.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function csrf(cookie: string, path: string): Promise<string> {
  const html = await (await fetch(`${BASE}${path}`, { headers: { cookie } })).text();
  const token = /name="_csrf" value="([^"]+)"|_csrf=([\w-]+)/.exec(html);
  if (!token) throw new Error(`no CSRF token on ${path}`);
  return token[1] ?? token[2];
}

interface Measured {
  label: string;
  previewMs: number;
  completeMs: number;
  jobMs: number;
  counts: string;
}

async function run(label: string, cookie: string, db: Client, file: Buffer): Promise<Measured> {
  const token = await csrf(cookie, '/admin/roster-imports');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: 'text/csv' }), 'roster.csv');
  const t0 = performance.now();
  const uploaded = await fetch(`${BASE}/admin/roster-imports?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
  const location = uploaded.headers.get('location') ?? '';
  const id = /\/admin\/roster-imports\/([0-9a-f-]{36})$/.exec(location)?.[1];
  if (!id) throw new Error(`${label}: upload answered ${uploaded.status} ${location}`);
  const preview = await (await fetch(`${BASE}${location}`, { headers: { cookie } })).text();
  const previewMs = performance.now() - t0;
  if (!preview.includes('/confirm"')) throw new Error(`${label}: the preview cannot be confirmed`);

  const confirmToken = await csrf(cookie, location);
  const t1 = performance.now();
  const confirmed = await fetch(`${BASE}${location}/confirm`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: confirmToken }),
    redirect: 'manual',
  });
  if (confirmed.status !== 303) throw new Error(`${label}: confirm answered ${confirmed.status}`);
  // Follow the page as the browser does (it refreshes itself every 2 s; here every 100 ms to time the end).
  const deadline = Date.now() + 180_000;
  for (;;) {
    const page = await (await fetch(`${BASE}${location}`, { headers: { cookie } })).text();
    if (page.includes('id="roster-result"')) {
      if (!page.includes('flash-success')) throw new Error(`${label}: the import did not complete`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`${label}: no result after 180 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const completeMs = performance.now() - t1;
  const { rows } = await db.query<{ ms: string; applied: Record<string, number> }>(
    'select extract(epoch from finished_at - started_at) * 1000 as ms, applied from membership.roster_import where id = $1',
    [id],
  );
  const applied = rows[0].applied;
  return {
    label,
    previewMs,
    completeMs,
    jobMs: Number(rows[0].ms),
    counts: Object.entries(applied)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n.toLocaleString('en')}`)
      .join(', '),
  };
}

async function main(): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(DATABASE)) throw new Error('BENCH_DATABASE must be a plain database name');
  const server = await resolveDatabase('postgres');
  const url = new URL(server.url);
  url.pathname = `/${DATABASE}`;
  console.log(`seeding ${DATABASE}: demo logins and ${EMPLOYEES.toLocaleString('en')} employees`);
  await seed(url.toString());

  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    PORT: String(PORT),
    BASE_URL: BASE,
    REDIS_PREFIX: `kizuna-bench-roster-${Date.now().toString(36)}`,
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'benchmark-only-session-secret-0123456789',
    DEMO_SEED: 'false',
    MIGRATE_ON_START: 'false',
  };
  const web = await startWeb(BASE, env, 120_000);
  const worker = startWorker(env);
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const cookie = await signIn(BASE, 'admin@example.jp');
    const all = people();
    const first = csv(all);
    const results = [
      await run(`1. first import (${ROWS.toLocaleString('en')} rows)`, cookie, db, first),
      await run('2. the same file again', cookie, db, first),
      await run(
        '3. later export: leavers and moves',
        cookie,
        db,
        csv(all, (p) => (p.email.startsWith('staff') && p.i % 5 < 2 ? { leftOn: '2026/3/31' } : p.email.startsWith('newcomer') && p.i % 5 === 0 ? { department: '新規事業部' } : {})),
      ),
    ];
    console.log(`\n${ROWS.toLocaleString('en')}-row Shift_JIS files, ${EMPLOYEES.toLocaleString('en')} employees on record, web and worker processes (NODE_ENV=production)\n`);
    console.log('| import | upload → preview page | confirm → result page | job (started → finished) | applied |');
    console.log('|---|---:|---:|---:|---|');
    for (const r of results) {
      console.log(`| ${r.label} | ${(r.previewMs / 1000).toFixed(1)} s | ${(r.completeMs / 1000).toFixed(1)} s | ${(r.jobMs / 1000).toFixed(1)} s | ${r.counts} |`);
    }
  } finally {
    await db.end();
    await stopProcess(worker);
    await stopWeb(web);
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
