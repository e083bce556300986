import { createServer } from 'node:http';
import Handlebars from 'handlebars';
import { Client } from 'pg';

/**
 * The floor of bench:content: a bare node:http + Handlebars server that renders, from memory, a list page of the 12
 * newest cards and the article page of the hot article with its first 50 comments and their replies — no framework,
 * no session, no database per request. What the real pages cost beyond this is the product's own work.
 * Usage: node content-floor.js <database url> <article id> <port>
 */
const [databaseUrl, articleId, port] = process.argv.slice(2);

const list = Handlebars.compile(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>コンテンツ</title></head><body>
<main><h1>コンテンツ</h1><ul class="cards">{{#each cards}}<li class="card"><a href="/content/{{id}}"><span class="type">{{type}}</span><h2>{{title}}</h2>
<p>{{summary}}</p></a><footer>{{author}} <time datetime="{{iso}}">{{date}}</time> {{#each tags}}<a href="/content?tag={{this}}">#{{this}}</a> {{/each}}
<span>♥ {{likes}}</span> <span>💬 {{comments}}</span></footer></li>{{/each}}</ul></main></body></html>`);

const page = Handlebars.compile(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{title}}</title>
<meta property="og:title" content="{{title}}"><meta property="og:description" content="{{summary}}"></head><body>
<main><article><h1>{{title}}</h1><p class="lead">{{summary}}</p><div class="body">{{{html}}}</div></article>
<section id="comments">{{#each comments}}<article id="c-{{id}}"><header>{{author}} <time datetime="{{iso}}">{{date}}</time></header>
<div>{{{html}}}</div>{{#each replies}}<article id="c-{{id}}"><header>{{author}} <time datetime="{{iso}}">{{date}}</time></header><div>{{{html}}}</div></article>{{/each}}
</article>{{/each}}</section></main></body></html>`);

interface CommentRow {
  id: string;
  parent_id: string | null;
  html: string;
  created_at: Date;
  family_name: string | null;
  given_name: string | null;
}

async function main(): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const cards = (
    await client.query<{ id: string; type: string; title: string; summary: string; tags: string[]; published_at: Date; like_count: number; comment_count: number; family_name: string; given_name: string }>(
      `select i.id, i.type, i.title, i.summary, i.tags, i.published_at, i.like_count, i.comment_count, p.family_name, p.given_name
         from content.item i left join membership.profile p on p.member_id = i.author_id
        where i.status = 'published' and i.visibility in ('public', 'members', 'alumni') order by i.published_at desc, i.id desc limit 12`,
    )
  ).rows;
  const [item] = (
    await client.query<{ title: string; summary: string; html: string }>(
      `select v.title, v.summary, v.html from content.item i join content.version v on v.id = i.published_version_id where i.id = $1`,
      [articleId],
    )
  ).rows;
  const top = (
    await client.query<CommentRow>(
      `select c.id, c.parent_id, c.html, c.created_at, p.family_name, p.given_name from content.comment c left join membership.profile p on p.member_id = c.author_id
        where c.item_id = $1 and c.parent_id is null order by c.created_at, c.id limit 50`,
      [articleId],
    )
  ).rows;
  const replies = (
    await client.query<CommentRow>(
      `select c.id, c.parent_id, c.html, c.created_at, p.family_name, p.given_name from content.comment c left join membership.profile p on p.member_id = c.author_id
        where c.parent_id = any($1::uuid[]) order by c.created_at, c.id`,
      [top.map((c) => c.id)],
    )
  ).rows;
  await client.end();
  const format = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' });
  const name = (r: { family_name: string | null; given_name: string | null }) => `${r.family_name ?? ''} ${r.given_name ?? ''}`.trim();
  const comment = (c: CommentRow) => ({ id: c.id, html: c.html, author: name(c), iso: c.created_at.toISOString(), created: c.created_at });
  createServer((req, res) => {
    // Dates are formatted per request, as the real pages do.
    let body: string;
    if (req.url?.startsWith('/article')) {
      body = page({
        title: item?.title ?? '',
        summary: item?.summary ?? '',
        html: item?.html ?? '',
        comments: top.map((c) => ({
          ...comment(c),
          date: format.format(c.created_at),
          replies: replies.filter((x) => x.parent_id === c.id).map((x) => ({ ...comment(x), date: format.format(x.created_at) })),
        })),
      });
    } else {
      body = list({
        cards: cards.map((c) => ({ ...c, author: name(c), iso: c.published_at.toISOString(), date: format.format(c.published_at), likes: c.like_count, comments: c.comment_count })),
      });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  }).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
