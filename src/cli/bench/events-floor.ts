import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

/**
 * The floor of bench:events' burst: a bare node:http server that does the least a registration can do — read the
 * member from a session in Redis (one GET), read the form, run the same one-statement registration
 * (`events.register_for_event`) through a pool of 10 connections, answer 303 — with no framework, no CSRF check, no
 * viewer query, no logging. The same burst against it, in the same run, shows what this machine allows.
 * Usage: node events-floor.js <database url> <redis url> <session key prefix> <port>
 * Sessions are Redis strings `<prefix><cookie value>` holding the member id.
 */
const [databaseUrl, redisUrl, prefix, port] = process.argv.slice(2);

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const redis = new Redis(redisUrl, { lazyConnect: false });
  const server = createServer((req, res) => {
    const match = /^\/events\/([0-9a-f-]{36})\/register$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(req.url === '/health' ? 200 : 404).end();
      return;
    }
    const sid = /(?:^|;\s*)floor=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const memberId = await redis.get(`${prefix}${sid}`);
        if (!memberId) {
          res.writeHead(403).end();
          return;
        }
        const eventId = match[1];
        const registrationId = randomUUID();
        const payload = { type: 'events.registration-confirmed', payload: { communityEventId: eventId, registrationId, memberId } };
        await pool.query(
          'select events.register_for_event($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10::jsonb, $11, $12) as answer',
          [eventId, memberId, 0, false, '{public,members,alumni,employees}', registrationId, randomUUID(), 'integration', `floor:${registrationId}`, JSON.stringify(payload), 'events.registration-confirmed', 'events.registration-waitlisted'],
        );
        res.writeHead(303, { location: `/events/${eventId}` }).end();
      })().catch((e: unknown) => {
        console.error(e);
        res.writeHead(500).end();
      });
    });
  });
  server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
  process.once('SIGTERM', () => {
    server.close();
    void Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
