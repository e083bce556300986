import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { freshDatabase } from '@libs/database/resolve-database';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { SeedDemoForumCommand } from '@modules/networking/contracts';
import { postSearchKeys, renderPost } from '@modules/networking/domain/post-content';
import { AppModule } from '../app.module';
import { prepareDatabase } from '../bootstrap';

/**
 * npm run seed:forum — a fresh database `kizuna_forum` (SEED_DATABASE) with the demo community (SEED_MEMBERS
 * members, default 2,000), its demo forum, and FORUM_THREADS threads (default 50,000) holding FORUM_POSTS posts
 * (default 1,000,000) of realistic Japanese text over a year, in the demo boards. The search index is built after
 * the rows are in (one CREATE INDEX is much faster than a million index updates). Benchmark it with bench:forum.
 */
const DATABASE = process.env.SEED_DATABASE ?? 'kizuna_forum';
const MEMBERS = Number(process.env.SEED_MEMBERS ?? 2_000);
const THREADS = Number(process.env.FORUM_THREADS ?? 50_000);
const POSTS = Number(process.env.FORUM_POSTS ?? 1_000_000);
const BATCH = 2_000;
const YEAR_MS = 365 * 24 * 3_600_000;

/** A small deterministic generator, so that the data set is the same from run to run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

const TOPICS = ['生成AI', '議事録', '経費精算', '在宅勤務', '育休', '学童', '転職', '出戻り', '副業', 'データ分析', 'Python', '採用面接', '評価制度', '東京本社', '大阪支社', '関西支部', '福岡', '人事部', '営業部', 'マーケティング', 'プロボノ', '勉強会', 'オフ会', '資格試験', '英語', 'キャリア', 'マネジメント', '新規事業', 'SaaS', 'DX'];
const OPENERS = ['最近', '先日', '今年から', '転職してから', '部署異動で', '子どもが生まれてから', '退職後に', '新しいチームで'];
const SENTENCES = [
  '{t}について皆さんの経験を聞かせてください。',
  '{t}を始めてみたのですが、思っていたより難しいです。',
  'うちの会社では{t}のルールが最近変わりました。',
  '{t}の進め方で悩んでいます。良い方法はありますか？',
  '参考になります。{t}は私も気になっていました。',
  '{t}なら、まずは小さく試すのがおすすめです。',
  '先週の{t}の件、資料を共有しますね。',
  '{t}について社内勉強会で話す予定です。',
  '同じく{t}で苦労しました。結局は周りに相談するのが一番でした。',
  '{t}は会社によって本当に違いますね。',
  'ありがとうございます！{t}の話、とても助かりました。',
  '{t}の件、来月のオフ会でも話しましょう。',
  '私の場合は{t}に半年ほどかかりました。焦らなくて大丈夫だと思います。',
  '{t}のツールはいくつか試しましたが、今は落ち着いています。',
];
const TITLES = ['{t}について相談です', '{t}の経験談を教えてください', '{t}、どうしていますか？', '{t}の勉強会をしませんか', '{t}で困っています', '{t}のおすすめ', '{t}の最新事情'];

function sentence(r: () => number): string {
  const t = TOPICS[Math.floor(r() * TOPICS.length)];
  return SENTENCES[Math.floor(r() * SENTENCES.length)].replace('{t}', t);
}

function body(r: () => number): string {
  const n = 1 + Math.floor(r() * 4);
  const parts = Array.from({ length: n }, () => sentence(r));
  if (r() < 0.3) parts.unshift(`${OPENERS[Math.floor(r() * OPENERS.length)]}、`);
  return r() < 0.15 ? `${parts.join('')}\n\n- ${sentence(r)}\n- ${sentence(r)}` : parts.join('');
}

async function main(): Promise<void> {
  const server = await freshDatabase(DATABASE);
  const url = new URL(server.url);
  process.env.DATABASE_URL = url.toString();
  process.env.DEMO_SEED = 'false';
  const started = Date.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    await prepareDatabase(app);
    const orm = app.get(MikroORM);
    const commands = app.get(CommandBus);
    await RequestContext.create(orm.em.fork(), () => commands.execute(new SeedDemoCommunityCommand(MEMBERS)));
    await RequestContext.create(orm.em.fork(), () => commands.execute(new SeedDemoForumCommand()));
    const em = app.get(EntityManager).fork();
    const boards = await em.execute<{ id: string; visibility: string }[]>(`select id, visibility from networking.board where visibility = 'members' and thread_starters = 'members' order by position`);
    const members = (await em.execute<{ id: string }[]>(`select member_id as id from membership.profile where member_status in ('employee', 'alumni') order by member_id`)).map((m) => m.id);
    console.log(`community ready (${members.length} members, ${boards.length} open boards) after ${((Date.now() - started) / 1000).toFixed(0)} s`);

    await em.execute('drop index if exists networking.post_search_idx');
    const r = prng(42);
    const now = Date.now();
    // Thread sizes: most threads short, a few long (a heavy tail, as in real forums), summing to POSTS.
    const weights = Array.from({ length: THREADS }, () => Math.pow(r(), 3) * 60 + 1);
    const scale = POSTS / weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((w) => Math.max(1, Math.round(w * scale)));
    let posts = 0;
    let threadRows: unknown[][] = [];
    let postRows: string[][] = [];
    const flush = async () => {
      if (threadRows.length) {
        const cols = threadRows[0].map((_, i) => threadRows.map((row) => row[i]));
        await em.execute(
          `insert into networking.thread (id, board_id, title, author_id, last_number, post_count, last_post_at, last_post_author_id, created_at)
           select * from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::int[], ?::int[], ?::timestamptz[], ?::uuid[], ?::timestamptz[])`,
          cols.map((c) => arrayLiteral(c.map(String))),
        );
        threadRows = [];
      }
      if (postRows.length) {
        const cols = postRows[0].map((_, i) => postRows.map((row) => row[i]));
        await em.execute(
          `insert into networking.post (id, thread_id, board_id, number, author_id, body, html, created_at, search_tokens, search_text)
           select id, thread_id, board_id, number, author_id, body, html, created_at, tokens::text[], search_text
             from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::int[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
               as x(id, thread_id, board_id, number, author_id, body, html, created_at, tokens, search_text)`,
          cols.map((c) => arrayLiteral(c)),
        );
        postRows = [];
      }
    };
    for (let i = 0; i < THREADS; i++) {
      const threadId = randomUUID();
      const board = boards[i % boards.length];
      const title = TITLES[Math.floor(r() * TITLES.length)].replace('{t}', TOPICS[Math.floor(r() * TOPICS.length)]);
      const start = now - YEAR_MS + Math.floor((i / THREADS) * YEAR_MS * 0.98);
      const size = sizes[i];
      let at = start;
      let lastAuthor = '';
      const firstAuthor = members[Math.floor(r() * members.length)];
      for (let n = 1; n <= size; n++) {
        const author = n === 1 ? firstAuthor : members[Math.floor(r() * members.length)];
        const text = body(r);
        const keys = postSearchKeys(text, n === 1 ? title : undefined);
        postRows.push([randomUUID(), threadId, board.id, String(n), author, text, renderPost(text), new Date(at).toISOString(), arrayLiteral(keys.tokens), keys.text]);
        lastAuthor = author;
        at = Math.min(now - 60_000, at + Math.floor(r() * 6 * 3_600_000));
      }
      threadRows.push([threadId, board.id, title, firstAuthor, size, size, new Date(at).toISOString(), lastAuthor, new Date(start).toISOString()]);
      posts += size;
      if (postRows.length >= BATCH) await flush();
      if (i % 5000 === 4999) console.log(`${i + 1} threads, ${posts} posts after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await flush();
    console.log(`rows written after ${((Date.now() - started) / 1000).toFixed(0)} s; building the search index…`);
    await em.execute('create index post_search_idx on networking.post using gin (search_tokens)');
    await em.execute(`update networking.board b set thread_count = s.threads, post_count = s.posts, last_post_at = s.last, last_thread_id = s.last_thread
      from (select board_id, count(*) as threads, sum(post_count) as posts, max(last_post_at) as last,
                   (array_agg(id order by last_post_at desc))[1] as last_thread from networking.thread group by board_id) s where s.board_id = b.id`);
    await em.execute('vacuum analyze networking.post');
    await em.execute('vacuum analyze networking.thread');
    console.log(`${THREADS} threads and ${posts} posts in ${DATABASE} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await app.close();
    await server.stop?.();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
