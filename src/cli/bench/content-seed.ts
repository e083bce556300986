import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { CONTENT_TYPES, type ContentType, type ContentVisibility } from '@modules/content/contracts';
import { contentSearchKeys, readingMinutes, renderComment, renderContentBody, tagKey } from '@modules/content/domain/content-input';

/**
 * Content at size for bench:content, written with SQL (unnest, a few thousand rows a statement): `items` articles of
 * the four types over two years — mostly published, a few drafts and items under review — each with its one
 * version, and `comments` comments (a quarter of them replies), a heavy tail of them on a few items and one
 * "hot" article with far more than the rest. Text is realistic Japanese, rendered and search-keyed exactly as
 * Content renders and keys what members write (its own functions).
 */
export interface ContentSeedOptions {
  items: number;
  comments: number;
  /** A deterministic generator in [0, 1). */
  random: () => number;
}

export interface ContentSeedResult {
  /** A published members' column with the most comments. */
  hotId: string;
  hotComments: number;
  items: number;
  comments: number;
  /** A tag many published items carry, and a search word that finds many of them. */
  tag: string;
  word: string;
}

const BATCH = 2_000;
const DAY_MS = 24 * 3_600_000;

/** A small deterministic generator, so that the data set is the same from run to run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

const TOPICS = ['生成AI', 'DX', '在宅勤務', '育休', '転職', '出戻り', '副業', 'データ分析', '採用', '評価制度', '大阪支社', '関西支部', '新規事業', 'SaaS', 'サステナビリティ', '人的資本', 'IR', '中期経営計画', 'プロボノ', '勉強会', 'キャリア', 'マネジメント', '海外赴任', 'リスキリング'];
const TITLES: Record<ContentType, string[]> = {
  news: ['{t}に関する新サービス開始のお知らせ', '{t}の取り組みを強化します', '{t}に関するプレスリリース', '2026年度 {t}の進捗について', '{t}の決算説明会を開催しました'],
  industry: ['{t}の最新動向と各社の取り組み', '{t}市場はどこへ向かうのか', '数字で見る{t}の現在地', '{t}をめぐる法改正のポイント', '{t}の先進事例まとめ'],
  column: ['{t}について考えたこと', '退職して気づいた{t}の大切さ', '{t}を始めて一年が経ちました', '私の{t}体験記', '{t}と向き合う十年間'],
  'event-report': ['{t}勉強会レポート', '{t}交流会を開催しました', '{t}セミナー参加レポート', '{t}ミートアップの様子', '{t}フォーラム開催報告'],
};
const SENTENCES = [
  '{t}については、ここ数年で考え方が大きく変わりました。',
  '現場の声を聞くと、{t}の進め方には会社ごとの違いがはっきり表れます。',
  'まずは小さく始めて、{t}の効果を確かめることが大切だと感じています。',
  '{t}に取り組むチームでは、週に一度の振り返りを続けています。',
  'アルムナイの皆さんから寄せられた{t}の経験談も紹介します。',
  '{t}の数字だけを見ていると、働く人の実感を見落としがちです。',
  '社外で得た{t}の知見を、古巣に持ち帰ってくれた方もいます。',
  '来年度は{t}の範囲をさらに広げる予定です。',
  '参加者からは「{t}の話をもっと聞きたい」という声が多く寄せられました。',
  '{t}にまつわる失敗談こそ、次の挑戦へのヒントになります。',
];
const COMMENTS = [
  'とても参考になりました。ありがとうございます！',
  '{t}の話、私の部署でも同じ悩みがあります。',
  '懐かしく読みました。当時の皆さんはお元気でしょうか。',
  '次回はぜひ参加したいです。',
  '{t}について、もう少し詳しく聞いてみたいです。',
  '**共感しました**。私も同じ経験があります。',
  '資料を共有していただけると嬉しいです。',
  '{t}は会社によって本当に違いますね。',
];
/** Visibility shares: mostly members, a fifth public. */
const VISIBILITY: [ContentVisibility, number][] = [['members', 0.6], ['public', 0.2], ['alumni', 0.1], ['employees', 0.1]];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const fill = (template: string, t: string) => template.replace('{t}', t);

function visibility(r: () => number): ContentVisibility {
  let x = r();
  for (const [v, share] of VISIBILITY) {
    if (x < share) return v;
    x -= share;
  }
  return 'members';
}

function article(r: () => number, topic: string): string {
  const paragraphs = 3 + Math.floor(r() * 4);
  const parts: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    if (p > 0 && r() < 0.4) parts.push(`## ${fill(pick(r, ['{t}のこれまで', '{t}の現場から', 'これからの{t}', '{t}で大切なこと']), topic)}`);
    parts.push(Array.from({ length: 2 + Math.floor(r() * 3) }, () => fill(pick(r, SENTENCES), r() < 0.7 ? topic : pick(r, TOPICS))).join(''));
    if (r() < 0.2) parts.push(`- ${fill(pick(r, SENTENCES), topic)}\n- ${fill(pick(r, SENTENCES), pick(r, TOPICS))}`);
  }
  return parts.join('\n\n');
}

type Row = string[];

async function insert(em: EntityManager, sql: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = rows[0].map((_, i) => arrayLiteral(rows.map((row) => row[i])));
  await em.execute(sql, columns);
}

const ITEM_SQL = `insert into content.item (id, author_id, status, working_version_id, published_version_id, type, visibility, language, title, summary, tags, tag_keys,
    reading_minutes, search_tokens, search_text, published_at, first_published_at, like_count, comment_count, view_count, created_at, updated_at)
  select id, author_id, status, version_id, case when status = 'published' then version_id end, type, visibility, 'ja', title, summary, tags::text[], tag_keys::text[],
         reading_minutes, tokens::text[], search_text, case when status = 'published' then at end, case when status = 'published' then at end,
         likes, comments, views, at, at
    from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::timestamptz[], ?::int[], ?::int[], ?::int[])
      as x(id, author_id, status, version_id, type, visibility, title, summary, tags, tag_keys, reading_minutes, tokens, search_text, at, likes, comments, views)`;
const VERSION_SQL = `insert into content.version (id, item_id, seq, action, by_id, by_name, at, changed, type, visibility, language, title, summary, body, html, tags)
  select id, item_id, 1, action, by_id, '', at, '{type,visibility,language,title,summary,body,tags}', type, visibility, 'ja', title, summary, body, html, tags::text[]
    from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
      as x(id, item_id, action, by_id, at, type, visibility, title, summary, body, html, tags)`;
const COMMENT_SQL = `insert into content.comment (id, item_id, parent_id, author_id, body, html, created_at)
  select id, item_id, nullif(parent_id, '')::uuid, author_id, body, html, created_at
    from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[]) as x(id, item_id, parent_id, author_id, body, html, created_at)`;

/** Writes the items and comments; `members` are the ids of approved members (authors, commenters). */
export async function seedContent(em: EntityManager, members: string[], options: ContentSeedOptions): Promise<ContentSeedResult> {
  const r = options.random;
  const now = Date.now();
  const span = 2 * 365 * DAY_MS;
  const items: { id: string; at: number; published: boolean; comments: number }[] = [];
  const total = Math.max(1, options.items);

  // Comments per published item: a heavy tail (most items a few, some many), and the hot article far more.
  const hotComments = Math.min(options.comments, Math.max(150, Math.round(options.comments * 0.02)));
  let itemRows: Row[] = [];
  let versionRows: Row[] = [];
  const weights: number[] = [];
  for (let i = 0; i < total; i++) {
    const hot = i === 0;
    const type: ContentType = hot ? 'column' : CONTENT_TYPES[i % CONTENT_TYPES.length];
    const topic = hot ? '出戻り' : pick(r, TOPICS);
    const title = hot ? '出戻り社員が見た十年の変化' : fill(pick(r, TITLES[type]), topic);
    const summary = fill(pick(r, SENTENCES), topic);
    const body = article(r, topic);
    const tags = [...new Set([topic, pick(r, TOPICS), ...(r() < 0.3 ? [pick(r, TOPICS)] : [])])].slice(0, 3);
    const state = hot ? 'published' : r() < 0.95 ? 'published' : pick(r, ['draft', 'submitted', 'returned']);
    // Newest first in the lists: the hot article is recent, the rest spread over two years.
    const at = hot ? now - DAY_MS : now - Math.floor(r() * span) - 60_000;
    const author = pick(r, members);
    const id = randomUUID();
    const versionId = randomUUID();
    const keys = contentSearchKeys({ title, summary, body });
    const vis = hot ? 'members' : visibility(r);
    weights.push(state === 'published' && !hot ? Math.pow(r(), 3) * 30 + 0.2 : 0);
    items.push({ id, at, published: state === 'published', comments: 0 });
    itemRows.push([
      id, author, state, versionId, type, vis, title, summary, arrayLiteral(tags), arrayLiteral(tags.map(tagKey)), String(readingMinutes(body, 'ja')),
      arrayLiteral(keys.tokens), keys.text, new Date(at).toISOString(), String(Math.floor(r() * 40)), '0', String(Math.floor(r() * 300)),
    ]);
    versionRows.push([versionId, id, state === 'published' ? 'publish' : 'create', author, new Date(at).toISOString(), type, vis, title, summary, body, renderContentBody(body), arrayLiteral(tags)]);
    if (itemRows.length >= BATCH) {
      await insert(em, ITEM_SQL, itemRows);
      await insert(em, VERSION_SQL, versionRows);
      itemRows = [];
      versionRows = [];
    }
  }
  await insert(em, ITEM_SQL, itemRows);
  await insert(em, VERSION_SQL, versionRows);

  // Spread the comments: the hot article's share first, the rest by weight over the other published items.
  const rest = options.comments - hotComments;
  const weightSum = weights.reduce((a, b) => a + b, 0) || 1;
  items[0].comments = hotComments;
  let given = hotComments;
  for (let i = 1; i < items.length && given < options.comments; i++) {
    const n = Math.min(options.comments - given, Math.round((weights[i] / weightSum) * rest));
    items[i].comments = n;
    given += n;
  }
  // Rounding leftovers go to the hot article.
  items[0].comments += options.comments - given;

  let commentRows: Row[] = [];
  let written = 0;
  for (const item of items) {
    if (item.comments === 0) continue;
    const topLevel: string[] = [];
    let at = item.at + 3_600_000;
    for (let c = 0; c < item.comments; c++) {
      const id = randomUUID();
      const reply = topLevel.length > 0 && r() < 0.25;
      const text = fill(pick(r, COMMENTS), pick(r, TOPICS));
      at = Math.min(now - 1_000, at + Math.floor(r() * 6 * 3_600_000));
      commentRows.push([id, item.id, reply ? pick(r, topLevel) : '', pick(r, members), text, renderComment(text), new Date(at).toISOString()]);
      if (!reply) topLevel.push(id);
      written++;
      if (commentRows.length >= BATCH) {
        await insert(em, COMMENT_SQL, commentRows);
        commentRows = [];
      }
    }
  }
  await insert(em, COMMENT_SQL, commentRows);
  await em.execute(`update content.item i set comment_count = c.n from (select item_id, count(*)::int as n from content.comment group by item_id) c where c.item_id = i.id`);
  await em.execute('vacuum analyze content.item');
  await em.execute('vacuum analyze content.version');
  await em.execute('vacuum analyze content.comment');

  const [popular] = await em.execute<{ tag: string }[]>(
    `select t as tag from content.item, unnest(tags) t where status = 'published' group by t order by count(*) desc, t limit 1`,
  );
  return { hotId: items[0].id, hotComments: items[0].comments, items: total, comments: written, tag: popular?.tag ?? '転職', word: '転職' };
}
