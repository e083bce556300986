import Handlebars from 'handlebars';
import { Client } from 'pg';

/**
 * The page the forum benchmark's floors render: a thread's first 50 posts, read once from the database and kept in
 * memory, through one Handlebars template — the same work for forum-floor.ts (bare node:http) and stack-floor.ts
 * (the same page behind the framework, session and sign-in the product runs on).
 */
const template = Handlebars.compile(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{title}}</title></head><body>
<main><h1>{{title}}</h1>{{#each posts}}<article id="p{{number}}"><header><a href="/members/{{authorId}}">{{authorName}}</a>
<time datetime="{{iso}}">{{date}}</time></header><div class="post-body">{{{html}}}</div>
<footer>{{#each reactions}}<button>{{emoji}} {{count}}</button>{{/each}}</footer></article>{{/each}}</main></body></html>`);

/** Reads the thread once; answers a function rendering its first `per` posts (dates formatted per call, as the real page does). */
export async function floorPage(databaseUrl: string, threadId: string): Promise<(per: number) => string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ number: number; author_id: string; family_name: string; given_name: string; html: string; created_at: Date; title: string }>(
    `select p.number, p.author_id, pr.family_name, pr.given_name, p.html, p.created_at, t.title
       from networking.post p join networking.thread t on t.id = p.thread_id left join membership.profile pr on pr.member_id = p.author_id
      where p.thread_id = $1 and p.number <= 50 order by p.number`,
    [threadId],
  );
  await client.end();
  const format = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  const posts = rows.map((r) => ({
    number: r.number,
    authorId: r.author_id,
    authorName: `${r.family_name} ${r.given_name}`,
    html: r.html,
    iso: r.created_at.toISOString(),
    created: r.created_at,
    reactions: [{ emoji: '👍', count: 2 }],
  }));
  const title = rows[0]?.title ?? '';
  return (per) => template({ title, posts: posts.slice(0, per).map((p) => ({ ...p, date: format.format(p.created) })) });
}
