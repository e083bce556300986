import 'reflect-metadata';
import { Controller, Get, Module, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import RedisStore from 'connect-redis';
import type { Request, Response } from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import passport from 'passport';
import { floorPage } from './floor-page';

/**
 * The second floor of bench:forum: the floor's page (the same posts from memory, the same template) behind the least
 * of the stack the product is built on — NestJS on Express, express-session in Redis (connect-redis, one GET a
 * request, no write), passport's session sign-in — and nothing else: no database, no guards, no CSRF, no logging,
 * no security headers. No page the product serves on this stack can answer more requests per second than this.
 * Usage: node stack-floor.js <database url> <thread id> <port> <redis url> <redis prefix>
 * `GET /sign-in` starts a signed-in session (its cookie is the answer's); `GET /t?per=20|50` is the page.
 */
const [databaseUrl, threadId, port, redisUrl, prefix] = process.argv.slice(2);
let render: (per: number) => string = () => '';

@Controller()
class FloorController {
  @Get('t')
  page(@Req() req: Request, @Query('per') per?: string): string {
    if (!req.user) throw new UnauthorizedException();
    return render(per === '50' ? 50 : 20);
  }

  @Get('sign-in')
  signIn(@Req() req: Request, @Res() res: Response): void {
    req.login({ id: 'floor-member', v: 1 }, (err: unknown) => (err ? res.status(500).end() : res.status(204).end()));
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  render = await floorPage(databaseUrl, threadId);
  const redis = new Redis(redisUrl);
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: ['error'] });
  app.use(
    session({
      name: 'floor.sid',
      store: new RedisStore({ client: redis, prefix: `${prefix}:sess:`, ttl: 3600, disableTouch: true }),
      secret: 'stack-floor-only-secret-0123456789',
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 3600_000 },
    }),
  );
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((stored: object, done) => done(null, stored));
  app.use(passport.initialize());
  app.use(passport.session());
  await app.listen(Number(port), '127.0.0.1');
  process.send?.('ready');
  process.once('SIGTERM', () => void app.close().then(() => redis.quit()).then(() => process.exit(0)));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
