import request from 'supertest';
import { Logger } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RedisConnections } from '@libs/queue/redis-connections';
import { Member } from '@modules/membership/domain/member.entity';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The Set-Cookie line for one cookie, or undefined. */
function setCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const header = res.headers['set-cookie'];
  const lines = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
  return lines.find((line) => line.startsWith(`${name}=`));
}

const cookieValue = (line: string | undefined) => line?.split(';')[0].split('=').slice(1).join('=');
const attributes = (line: string) => line.split(';').slice(1).map((a) => a.trim().toLowerCase());

/** The directives of a Content-Security-Policy header. */
function csp(header: unknown): Record<string, string[]> {
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('sessions, cookies, languages and headers', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let emailSeq = 0;
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.14.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };
  const member = (spec: MemberSpec = {}): Promise<BuiltMember> =>
    buildMember(em.fork(), { status: 'alumni', ...spec, email: spec.email ?? `session-${++emailSeq}@sessions.example.jp` });

  async function post(a: Agent, path: string, fields: Record<string, string>, page = '/login') {
    const token = await csrfToken(a, page);
    return a.post(path).type('form').send({ _csrf: token, ...fields });
  }

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  describe('the session cookie', () => {
    it('is HttpOnly, SameSite=Lax, for the whole site and not Secure over http', async () => {
      const res = await agent().get('/login').expect(200);
      const line = setCookie(res, 'kizuna.sid');
      expect(line).toBeDefined();
      const attrs = attributes(line!);
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=lax');
      expect(attrs).toContain('path=/');
      expect(attrs).not.toContain('secure');
      expect(attrs.some((a) => a.startsWith('expires='))).toBe(true);
    });

    it('is not set for visitors who only read (no session until one is needed)', async () => {
      const res = await agent().get('/health').expect(200);
      expect(setCookie(res, 'kizuna.sid')).toBeUndefined();
    });

    it('gets a new id at sign-in, and the id from before sign-in does not carry the signed-in session', async () => {
      const m = await member();
      const a = agent();
      const before = cookieValue(setCookie(await a.get('/login'), 'kizuna.sid'));
      expect(before).toBeTruthy();

      const login = await post(a, '/login', { email: m.email, password: m.password });
      expect([login.status, login.headers.location]).toEqual([303, '/']);
      const afterLine = setCookie(login, 'kizuna.sid');
      const after = cookieValue(afterLine);
      expect(after).toBeTruthy();
      expect(after).not.toBe(before);
      expect(attributes(afterLine!)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax']));
      expect(attributes(afterLine!)).not.toContain('secure');

      await a.get('/account').expect(200);
      // Someone who planted or saw the old cookie is not signed in with it.
      const fixated = await request(app.getHttpServer()).get('/account').set('Cookie', `kizuna.sid=${before}`);
      expect([fixated.status, fixated.headers.location]).toEqual([303, '/login?next=%2Faccount']);
    });

    it('lasts two hours for a visitor who has not signed in, and fourteen days once signed in (both sliding)', async () => {
      const expiresIn = (line: string | undefined) => {
        const expires = attributes(line!).find((a) => a.startsWith('expires='))!.slice('expires='.length);
        return (new Date(expires).getTime() - Date.now()) / 1000;
      };
      const redis = app.get(RedisConnections);
      const ttlOf = async (line: string | undefined) => {
        const sid = decodeURIComponent(cookieValue(line)!).replace(/^s:/, '').split('.')[0];
        return redis.client.ttl(`${redis.prefix}:sess:${sid}`);
      };
      const m = await member();
      const a = agent();
      const visitor = setCookie(await a.get('/login'), 'kizuna.sid');
      expect(expiresIn(visitor)).toBeGreaterThan(2 * 3600 - 60);
      expect(expiresIn(visitor)).toBeLessThanOrEqual(2 * 3600);
      const visitorTtl = await ttlOf(visitor);
      expect(visitorTtl).toBeGreaterThan(2 * 3600 - 60);
      expect(visitorTtl).toBeLessThanOrEqual(2 * 3600);

      const login = await post(a, '/login', { email: m.email, password: m.password });
      const signedIn = setCookie(login, 'kizuna.sid');
      expect(expiresIn(signedIn)).toBeGreaterThan(14 * 24 * 3600 - 60);
      expect(await ttlOf(signedIn)).toBeGreaterThan(14 * 24 * 3600 - 60);
      // Then (the first page takes the sign-in's flash message out of the session), a request neither writes the
      // session nor sends the cookie again: an unchanged session is one GET.
      await a.get('/account').expect(200);
      expect(setCookie(await a.get('/account').expect(200), 'kizuna.sid')).toBeUndefined();
      // Once a twenty-fourth of its lifetime has gone by (here: stored as if saved 15 hours ago), it slides: saved
      // again with fourteen days in Redis and in the cookie.
      const key = `${redis.prefix}:sess:${decodeURIComponent(cookieValue(signedIn)!).replace(/^s:/, '').split('.')[0]}`;
      const stored = JSON.parse((await redis.client.get(key))!) as { cookie: { expires: string } };
      stored.cookie.expires = new Date(Date.now() + (14 * 24 - 15) * 3600 * 1000).toISOString();
      await redis.client.set(key, JSON.stringify(stored), 'EX', (14 * 24 - 15) * 3600);
      // The member's index of sessions (for "sign out everywhere") had run out with the sign-in's fourteen days.
      const index = `${redis.prefix}:member-sessions:${m.member.id}`;
      await redis.client.expire(index, 60);
      const later = setCookie(await a.get('/account').expect(200), 'kizuna.sid');
      expect(expiresIn(later)).toBeGreaterThan(14 * 24 * 3600 - 60);
      expect(await redis.client.ttl(key)).toBeGreaterThan(14 * 24 * 3600 - 60);
      // …and slides with the session it holds.
      expect(await redis.client.ttl(index)).toBeGreaterThan(14 * 24 * 3600 - 60);
      expect(await redis.client.sismember(index, key.split(':sess:')[1])).toBe(1);
      expect(setCookie(await a.get('/account').expect(200), 'kizuna.sid')).toBeUndefined();

      // A visitor's session slides the same way, every five minutes of its two hours.
      const v = agent();
      const first = setCookie(await v.get('/login'), 'kizuna.sid');
      const visitorKey = `${redis.prefix}:sess:${decodeURIComponent(cookieValue(first)!).replace(/^s:/, '').split('.')[0]}`;
      expect(setCookie(await v.get('/login'), 'kizuna.sid')).toBeUndefined();
      const kept = JSON.parse((await redis.client.get(visitorKey))!) as { cookie: { expires: string } };
      kept.cookie.expires = new Date(Date.now() + 100 * 60 * 1000).toISOString();
      await redis.client.set(visitorKey, JSON.stringify(kept), 'EX', 100 * 60);
      const slid = setCookie(await v.get('/login'), 'kizuna.sid');
      expect(expiresIn(slid)).toBeGreaterThan(2 * 3600 - 60);
      expect(expiresIn(slid)).toBeLessThanOrEqual(2 * 3600);
      expect(await redis.client.ttl(visitorKey)).toBeGreaterThan(2 * 3600 - 60);
    });

    it('signing out ends the session on the server, not just in the browser', async () => {
      const m = await member();
      const a = agent();
      await signIn(a, m.email, m.password);
      const sid = cookieValue(setCookie(await a.get('/account'), 'kizuna.sid'));
      expect(sid).toBeTruthy();
      const out = await post(a, '/logout', {}, '/account');
      expect([out.status, out.headers.location]).toEqual([303, '/']);
      const replay = await request(app.getHttpServer()).get('/account').set('Cookie', `kizuna.sid=${sid}`);
      expect(replay.status).toBe(303);
      expect(replay.headers.location).toBe('/login?next=%2Faccount');
    });
  });

  describe('ending sessions', () => {
    it('"log out everywhere" ends the sessions of every device, this one included', async () => {
      const m = await member();
      const laptop = agent();
      const phone = agent();
      await signIn(laptop, m.email, m.password);
      await signIn(phone, m.email, m.password);
      await phone.get('/account').expect(200);

      const res = await post(laptop, '/account/sessions/end', {}, '/account');
      expect([res.status, res.headers.location]).toEqual([303, '/login']);

      const onPhone = await phone.get('/account');
      expect([onPhone.status, onPhone.headers.location]).toEqual([303, '/login?next=%2Faccount']);
      expect((await phone.get('/api/v1/me')).status).toBe(401);
      const onLaptop = await laptop.get('/account');
      expect([onLaptop.status, onLaptop.headers.location]).toEqual([303, '/login?next=%2Faccount']);

      // Signing in again works as usual.
      const again = agent();
      await signIn(again, m.email, m.password);
      await again.get('/account').expect(200);
    });

    it('changing the password ends the other sessions but keeps the current one', async () => {
      const m = await member();
      const laptop = agent();
      const phone = agent();
      await signIn(laptop, m.email, m.password);
      await signIn(phone, m.email, m.password);

      const res = await post(laptop, '/account/password', { currentPassword: m.password, newPassword: 'a-New-pass-2026' }, '/account');
      expect([res.status, res.headers.location]).toEqual([303, '/account']);
      const page = await follow(laptop, res);
      expect(page.status).toBe(200);
      expect(mainText(page.text)).toContain('パスワードを変更しました。ほかの端末からはログアウトされました。');
      await laptop.get('/profile/edit').expect(200);

      const onPhone = await phone.get('/account');
      expect([onPhone.status, onPhone.headers.location]).toEqual([303, '/login?next=%2Faccount']);

      // The old password no longer works; the new one does.
      const old = await post(agent(), '/login', { email: m.email, password: m.password });
      expect([old.status, old.headers.location]).toEqual([303, '/login']);
      await signIn(agent(), m.email, 'a-New-pass-2026');
    });

    it('an admin suspending a member ends the member\'s sessions at once', async () => {
      const m = await member();
      const admin = await member({ status: 'employee', role: 'admin' });
      const a = agent();
      await signIn(a, m.email, m.password);
      const hr = agent();
      await signIn(hr, admin.email, admin.password);
      const res = await post(hr, `/admin/members/${m.member.id}/suspend`, { reason: '' }, `/admin/members/${m.member.id}`);
      expect(res.status).toBe(303);
      const next = await a.get('/account');
      expect([next.status, next.headers.location]).toEqual([303, '/login?next=%2Faccount']);
    });
  });

  describe('languages', () => {
    it('pages are in Japanese by default and follow Accept-Language', async () => {
      const ja = await agent().get('/login').expect(200);
      expect(ja.text).toContain('<html lang="ja">');
      expect(ja.headers['content-language']).toBe('ja');
      expect(mainText(ja.text)).toContain('ログインする');
      const en = await agent().get('/login').set('Accept-Language', 'en-GB,en;q=0.8,ja;q=0.5').expect(200);
      expect(en.text).toContain('<html lang="en">');
      expect(en.headers['content-language']).toBe('en');
      expect(mainText(en.text)).toContain('Forgot your password?');
    });

    it('the switcher sets the kizuna.lang cookie, which wins over Accept-Language, and returns to the page', async () => {
      const a = agent();
      const res = await post(a, '/locale', { locale: 'en', next: '/apply' }, '/apply');
      expect([res.status, res.headers.location]).toEqual([303, '/apply']);
      const line = setCookie(res, 'kizuna.lang');
      expect(cookieValue(line)).toBe('en');
      expect(attributes(line!)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(attributes(line!)).not.toContain('secure');

      const page = await a.get('/apply').set('Accept-Language', 'ja').expect(200);
      expect(page.text).toContain('<html lang="en">');
      expect(mainText(page.text)).toContain('Apply to join');

      const back = await post(a, '/locale', { locale: 'ja', next: '/apply' }, '/apply');
      expect(cookieValue(setCookie(back, 'kizuna.lang'))).toBe('ja');
      expect((await a.get('/apply').set('Accept-Language', 'en')).text).toContain('<html lang="ja">');
    });

    it('the switcher comes back to the page with its query (a search keeps its words and page)', async () => {
      const a = agent();
      const page = await a.get('/login?next=%2Fmembers%3Fq%3D%E4%BA%BA%E4%BA%8B%26page%3D2').expect(200);
      const next = decode(/name="next" value="([^"]*)"/.exec(page.text)?.[1] ?? '');
      expect(next).toBe('/login?next=%2Fmembers%3Fq%3D%E4%BA%BA%E4%BA%8B%26page%3D2');
      const res = await post(a, '/locale', { locale: 'en', next }, '/login');
      expect([res.status, res.headers.location]).toEqual([303, next]);
    });

    it('the switcher only returns to pages of this site', async () => {
      // Browsers read a backslash in a Location like a slash: "/\\evil.example/" is "//evil.example/".
      for (const next of ['//evil.example/', 'https://evil.example/', 'javascript:alert(1)', '/\\evil.example/']) {
        const res = await post(agent(), '/locale', { locale: 'en', next });
        expect([res.status, res.headers.location]).toEqual([303, '/']);
      }
    });

    it('a language the site does not have is refused without changing anything', async () => {
      const a = agent();
      const res = await post(a, '/locale', { locale: 'fr', next: '/login' });
      expect(res.status).not.toBe(500);
      expect(setCookie(res, 'kizuna.lang')).toBeUndefined();
      expect((await a.get('/login')).text).toContain('<html lang="ja">');
    });

    it('signed in, the switcher saves the member\'s language, which wins over Accept-Language and the cookie on the next visit', async () => {
      const m = await member();
      const first = agent();
      await signIn(first, m.email, m.password);
      const res = await post(first, '/locale', { locale: 'en', next: '/account' }, '/account');
      expect([res.status, res.headers.location]).toEqual([303, '/account']);
      expect((await em.fork().findOneOrFail(Member, { id: m.member.id })).locale).toBe('en');
      expect((await first.get('/account').set('Accept-Language', 'ja')).text).toContain('<html lang="en">');

      // Another day, another browser that asks for Japanese and even has the Japanese cookie.
      const next = agent();
      await post(next, '/locale', { locale: 'ja', next: '/login' });
      const before = await next.get('/login').set('Accept-Language', 'ja');
      expect(before.text).toContain('<html lang="ja">');
      await signIn(next, m.email, m.password);
      const home = await next.get('/').set('Accept-Language', 'ja').expect(200);
      expect(home.text).toContain('<html lang="en">');
      expect(home.headers['content-language']).toBe('en');
      expect(mainText(home.text)).toContain('Account settings');
      expect((await em.fork().findOneOrFail(Member, { id: m.member.id })).locale).toBe('en');
    });
  });

  describe('security headers', () => {
    it('every normal page has a CSP without \'unsafe-inline\' scripts, and the HTML has no inline script', async () => {
      const admin = await member({ status: 'employee', role: 'admin' });
      const a = agent();
      await signIn(a, admin.email, admin.password);
      const pages = ['/', '/login', '/apply', '/password-reset', '/account', '/profile/edit', `/members/${admin.member.id}`, '/admin', '/admin/applications', '/admin/members', '/admin/invitations', '/dev/mail', '/no-such-page', '/api/docs'];
      for (const path of pages) {
        const res = await a.get(path);
        expect([path, res.status < 500]).toEqual([path, true]);
        const policy = csp(res.headers['content-security-policy']);
        const scripts = policy['script-src'] ?? policy['default-src'];
        expect([path, scripts]).toEqual([path, expect.arrayContaining(["'self'"])]);
        expect([path, scripts]).toEqual([path, expect.not.arrayContaining(["'unsafe-inline'"])]);
        expect([path, policy['script-src-attr'] ?? ["'none'"]]).toEqual([path, ["'none'"]]);
        expect([path, policy['object-src']]).toEqual([path, ["'none'"]]);
        expect([path, policy['frame-ancestors']]).toEqual([path, ["'none'"]]);
        if (res.headers['content-type']?.startsWith('text/html')) {
          const inline = [...res.text.matchAll(/<script\b([^>]*)>/g)].filter((m) => !/\bsrc=/.test(m[1]));
          expect([path, inline.length]).toEqual([path, 0]);
        }
      }
    });

    it('sends the usual hardening headers and no X-Powered-By', async () => {
      const res = await agent().get('/login').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // plain http in tests
    });
  });

  describe('the JSON API', () => {
    it('answers JSON 401 to anonymous callers, whatever they accept', async () => {
      const a = agent();
      for (const path of ['/api/v1/me', '/api/v1/members/00000000-0000-4000-8000-000000000000']) {
        for (const accept of ['application/json', 'text/html']) {
          const res = await a.get(path).set('Accept', accept);
          expect(res.status).toBe(401);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.headers.location).toBeUndefined();
          expect(res.body).toMatchObject({ statusCode: 401 });
        }
      }
    });

    it('answers the signed-in account as JSON', async () => {
      const m = await member({ status: 'employee' });
      const a = agent();
      await signIn(a, m.email, m.password);
      const res = await a.get('/api/v1/me').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ memberId: m.member.id, email: m.email, status: 'employee', role: 'member' });
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
    });

    it("gives an API client the session's CSRF token, which a write must echo in X-CSRF-Token", async () => {
      const m = await member({ status: 'employee' });
      const a = agent();
      // Signing in is itself a write: the client takes the token of its new anonymous session from the sign-in page.
      const anonymousToken = await csrfToken(a, '/login');
      const signedIn = await a.post('/login').set('X-CSRF-Token', anonymousToken).send({ email: m.email, password: m.password });
      expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/']);

      const me = await a.get('/api/v1/me').set('Accept', 'application/json').expect(200);
      expect(me.body).toMatchObject({ memberId: m.member.id, timeZone: null });
      expect(typeof me.body.csrfToken).toBe('string');
      expect(me.body.csrfToken.length).toBeGreaterThanOrEqual(32);
      // The same token for the whole session.
      expect((await a.get('/api/v1/me').expect(200)).body.csrfToken).toBe(me.body.csrfToken);

      // Without the header (or with another session's token) the write is refused and changes nothing.
      const refused = await a.post('/account/time-zone').set('Accept', 'application/json').send({ timeZone: 'Europe/Paris' });
      expect(refused.status).toBe(403);
      const wrong = await a.post('/account/time-zone').set('X-CSRF-Token', anonymousToken).send({ timeZone: 'Europe/Paris' });
      expect(wrong.status).toBe(403);
      expect((await a.get('/api/v1/me').expect(200)).body.timeZone).toBeNull();

      const written = await a.post('/account/time-zone').set('X-CSRF-Token', me.body.csrfToken).send({ timeZone: 'Europe/Paris' });
      expect(written.status).toBe(303);
      expect((await a.get('/api/v1/me').expect(200)).body.timeZone).toBe('Europe/Paris');
    });

    it('describes csrfToken in the OpenAPI document', async () => {
      const res = await agent().get('/api/docs-json');
      expect(res.status).toBe(200);
      const me = res.body.paths['/api/v1/me'].get;
      expect(me.responses['200'].content['application/json'].schema.properties.csrfToken).toMatchObject({ type: 'string' });
      expect(me.description).toMatch(/X-CSRF-Token/);
    });

    it('gives every request body of the OpenAPI document its own schema (two DTOs of one name would share one)', async () => {
      const warn = jest.spyOn(Logger, 'warn').mockImplementation(() => undefined);
      try {
        SwaggerModule.createDocument(app, new DocumentBuilder().build());
        expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /Duplicate DTO/.test(m))).toEqual([]);
      } finally {
        warn.mockRestore();
      }
      const doc = (await agent().get('/api/docs-json')).body as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      const fields = (path: string) => {
        const ref = doc.paths[path].post.requestBody?.content['application/json'].schema.$ref ?? '';
        return Object.keys(doc.components.schemas[ref.split('/').pop() as string]?.properties ?? {});
      };
      expect(fields('/api/v1/chat/conversations/{id}/read')).toEqual(['seq']);
      expect(fields('/api/v1/forum/threads/{id}/read')).toEqual(['number']);
    });
  });
});
