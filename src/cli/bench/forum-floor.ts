import { createServer } from 'node:http';
import { floorPage } from './floor-page';

/**
 * The floor of bench:forum: a bare node:http + Handlebars server that renders the same thread's posts from memory —
 * no framework, no session, no database per request. What the real page costs beyond this is the product's own work.
 * Usage: node forum-floor.js <database url> <thread id> <port>
 */
const [databaseUrl, threadId, port] = process.argv.slice(2);

async function main(): Promise<void> {
  const render = await floorPage(databaseUrl, threadId);
  createServer((req, res) => {
    const body = render(req.url?.includes('per=50') ? 50 : 20);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  }).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
