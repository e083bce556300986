import { createServer } from 'node:http';
import Handlebars from 'handlebars';
import { Client } from 'pg';

/**
 * The floor of bench:forum: a bare node:http + Handlebars server that renders the same thread's posts from memory —
 * no framework, no session, no database per request. What the real page costs beyond this is the product's own work.
 * Usage: node forum-floor.js <database url> <thread id> <port>
 */
const [databaseUrl, threadId, port] = process.argv.slice(2);

const template = Handlebars.compile(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{title}}</title></head><body>
<main><h1>{{title}}</h1>{{#each posts}}<article id="p{{number}}"><header><a href="/members/{{authorId}}">{{authorName}}</a>
<time datetime="{{iso}}">{{date}}</time></header><div class="post-body">{{{html}}}</div>
<footer>{{#each reactions}}<button>{{emoji}} {{count}}</button>{{/each}}</footer></article>{{/each}}</main></body></html>`);

async function main(): Promise<void> {
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
  createServer((req, res) => {
    const per = req.url?.includes('per=50') ? 50 : 20;
    // Dates are formatted per request, as the real page does.
    const page = posts.slice(0, per).map((p) => ({ ...p, date: format.format(p.created) }));
    const body = template({ title: rows[0]?.title ?? '', posts: page });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  }).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
